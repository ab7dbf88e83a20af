"""The demo matter (matter.py) and the article it is built from; load_demo writes it through the services."""
