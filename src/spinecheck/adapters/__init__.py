"""spinecheck.adapters"""
