"""The toolkit of the platform's PDF documents (certificates, actas), independent of Django.

Fonts registered once with their subsets memoised (:mod:`.fonts`), QR codes drawn as one path
(:mod:`.qr`), text that fits its line and dates in words (:mod:`.text`), file names safe
anywhere (:mod:`.filenames`) and the renderers' base class (:mod:`.base`). Nothing here reads
the database or settings: renderers work from frozen, plain values. This package imports
none of its modules, so that `filenames` can be used without loading reportlab.
"""
