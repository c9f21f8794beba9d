"""Pure rules: no AWS import, table-driven, sources cited next to each rule."""
