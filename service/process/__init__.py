"""The process owner's work: deploy and validate diagrams, drafts, the diff of versions, migrating complaints."""
