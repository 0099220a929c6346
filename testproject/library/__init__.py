"""Library app: authors, books, genres, members and loans."""
