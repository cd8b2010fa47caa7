"""The toolkit of the platform's PDF documents (certificates, actas), independent of Django.

Fonts registered once with their subsets memoised (:mod:`.fonts`), QR codes drawn as one path
(:mod:`.qr`), text that fits its line and dates in words (:mod:`.text`), file names safe
anywhere (:mod:`.filenames`), the renderers' base class (:mod:`.base`) and the A4 record
documents' layout: styles, tables, page furniture (:mod:`.document`). Nothing here reads
the database or settings: renderers work from frozen, plain values. This package imports
none of its modules, so that `filenames` can be used without loading reportlab.
"""
