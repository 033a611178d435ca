"""The letter factory: the readable letter texts and the writer that turns them into the .docx defaults."""
