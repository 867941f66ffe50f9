"""The report: content from figures and a template, rendered as text, Markdown, HTML, docx."""
