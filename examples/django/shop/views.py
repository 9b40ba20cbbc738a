import json

import structlog
from django.http import JsonResponse

log = structlog.get_logger("shop.views")


class PaymentDeclined(Exception):
    pass


def hello(request):
    log.info("hello_requested")
    return JsonResponse({"hello": "from django"})


def checkout(request):
    if request.method != "POST":
        return JsonResponse({"error": "method_not_allowed"}, status=405)
    cart = json.loads(request.body or b"{}")
    log.info("checkout_received", cart_items=len(cart.get("items", [])))
    # Django answers 500 and logs the exception on django.request, inside the request's trace.
    raise PaymentDeclined("card declined by the issuer")
