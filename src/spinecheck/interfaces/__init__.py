"""spinecheck.interfaces"""
