"""spinecheck.services"""
