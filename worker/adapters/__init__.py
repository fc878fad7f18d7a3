"""The adapters of the built-in packages, named by `module:Class` in Package.adapter."""
