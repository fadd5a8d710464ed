"""The main window's parts: its shared state (base), opening and identity (session), and the actions of the
Berkas and Periode menus; ui.main_window puts them together."""
