"""Rich renderings of results; every function takes the Console to print on."""
