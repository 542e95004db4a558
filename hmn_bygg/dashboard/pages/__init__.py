"""The dashboard's pages; each module has ``build(state) -> panel.Column``."""
