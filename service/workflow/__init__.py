"""The workflow engine: the only package that imports SpiffWorkflow.

definitions (parse a diagram), runtime (start, restore, act, snapshot, serialize), scripting and expressions
(the restricted language of a diagram), functions (its whitelist), instance_migration, sync (the rows that
mirror an instance), versions and version_files (deployed process versions and the files kept with them).
"""
