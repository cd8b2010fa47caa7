"""Views of the courses app, one module per audience: curriculum, trainer, activist."""
