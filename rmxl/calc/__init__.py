"""The RM_ functions in LibreOffice Calc (issue 12): a LibreOffice extension (.oxt).

- :mod:`rmxl.calc.package` writes the extension and installs it into a LibreOffice user
  profile (``rmxl libreoffice package`` / ``install``);
- ``rmxl/calc/oxt/`` holds its files: the UNO component that runs inside LibreOffice's
  own Python (standard library only), its type library, and the Basic functions;
- :mod:`rmxl.calc.helper` is the process in rmxl's own environment that computes the
  answers (:func:`rmxl.pipeline.sessions.ask`, the code path of the Excel functions).
"""
