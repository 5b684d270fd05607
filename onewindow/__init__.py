"""onewindow: government one-window services and key-project promotion."""
