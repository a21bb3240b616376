"""What papershelf keeps about single papers beyond the library's rows: their whole texts
(`texts`, kept ones in `kept_bodies`), where reading stopped (`reading_positions`) and the
index of every paper seen, for related papers and authors (`related_index`)."""
