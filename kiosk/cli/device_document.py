"""``kiosk device capture-document IMAGE [--out PAGE.jpg] [--json]``: the document camera's pipeline on a file.

For a technician checking a document camera (高拍仪) picture: finds the page, squares and
enhances it, and runs the quality gate, exactly as the kiosk does (``kiosk.capture``).
Prints the corners (TL, TR, BR, BL, image pixels), whether the gate accepted the page and why
not; with ``--json`` one object instead: ``{"corners": [[x, y] × 4] or null, "accepted": bool,
"problems": [message id, ...], "ms": float}``. ``--out`` writes the page as the kiosk attaches
it (a grey JPEG; a ``.png`` name writes PNG), even when the gate rejected it.

Exit status: 0 accepted; 1 the gate rejected the page; 2 the image could not be read;
3 no page was found in it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ACCEPTED, REJECTED, UNREADABLE, NO_PAGE = 0, 1, 2, 3


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    capture = subparsers.add_parser("capture-document", help="find, square and judge the page in a document photo")
    capture.add_argument("image", type=Path)
    capture.add_argument("--out", type=Path, default=None, help="write the squared page here (.jpg or .png)")
    capture.add_argument("--json", action="store_true", help="print one JSON object")
    capture.set_defaults(handler=capture_command)


def capture_command(args: argparse.Namespace) -> int:
    import cv2
    import numpy as np

    from kiosk.capture import capture_document, encode_page
    from kiosk.messages import say

    data = args.image.read_bytes() if args.image.is_file() else b""
    frame = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    if frame is None:
        print(f"kiosk: cannot read image {args.image} (missing, or not a picture OpenCV can decode)", file=sys.stderr)
        return UNREADABLE
    result = capture_document(frame)
    corners = None if result.corners is None else [[round(float(x), 1), round(float(y), 1)] for x, y in result.corners]
    if args.json:
        print(json.dumps({"corners": corners, "accepted": result.accepted,
                          "problems": [str(p) for p in result.problems], "ms": round(result.ms, 1)}))
    else:
        print(f"corners (TL, TR, BR, BL): {corners}" if corners else "no page found")
        print("accepted" if result.accepted else "rejected: " + "; ".join(f"{p} ({say(p)})" for p in result.problems))
        print(f"{result.ms:.0f} ms")
    if result.page is None:
        print(f"kiosk: no page found in {args.image}", file=sys.stderr)
        return NO_PAGE
    if args.out is not None:
        if args.out.suffix.lower() == ".png":
            ok, buffer = cv2.imencode(".png", result.page)
            args.out.write_bytes(buffer.tobytes())
        else:
            args.out.write_bytes(encode_page(result.page))
    return ACCEPTED if result.accepted else REJECTED
