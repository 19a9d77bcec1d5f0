"""spinecheck.interfaces.cli"""
