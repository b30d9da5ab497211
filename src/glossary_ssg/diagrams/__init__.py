"""Mermaid diagrams rendered to SVG at build time, behind one small renderer interface."""
