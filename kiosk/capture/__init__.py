"""What the kiosk's cameras capture and judge: paper documents and the resident's face.

The face check (人证比对) is in ``face_check``, ``face_detect`` and ``face_camera`` (see there).
Paper documents under the document camera (高拍仪): find the page, square it, judge it.
The interface is two functions and one result, exported here:

- ``capture_document(frame) -> DocumentCapture``: ``frame`` is a BGR or grey numpy image.
  The result holds ``corners`` (4×2, image pixels, TL, TR, BR, BL, or None: no page),
  ``page`` (the rectified, enhanced grey page, or None), ``verdict`` (``accepted``,
  ``problems``: hint message ids such as ``capture.glare``, and the measures), and ``ms``.
  Say a problem to the resident with ``kiosk.messages.say(problem)``.
- ``encode_page(page) -> bytes``: a compact grey JPEG (≤ ~300 KB for A4 at 150 dpi) to attach.

The document modules are pure functions on arrays (no camera, threads or files): ``geometry`` (corners,
overlap), ``outline`` (outline guesses), ``edges`` (choose and refine), ``rectify`` (warp and
enhance), ``quality`` (the gate), ``document`` (the pipeline). ``python -m bench document_capture``
measures them; ``kiosk device capture-document IMAGE`` runs them on a file.
"""

from kiosk.capture.document import DocumentCapture, capture_document, encode_page
from kiosk.capture.quality import Verdict

__all__ = ["DocumentCapture", "Verdict", "capture_document", "encode_page"]
