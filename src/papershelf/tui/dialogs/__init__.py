"""The dialogs shown over the main screen, on one `Dialog` base."""
