"""Rasa's action-server protocol over HTTP, so an existing Rasa assistant can call our actions.

`POST /webhook` takes Rasa's action call JSON and answers `{"events": [...], "responses": [...]}`;
errors are answered as the Rasa SDK's own server answers them.
"""

from __future__ import annotations

import json
import logging

from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import (
    ActionExecutionRejection,
    ActionMissingDomainException,
    ActionNotFoundException,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

log = logging.getLogger(__name__)


def create_action_server(executor: ActionExecutor) -> Starlette:
    async def webhook(request: Request) -> Response:
        try:
            action_call = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse({"error": "Invalid JSON in the request body."}, status_code=400)
        if not isinstance(action_call, dict):
            return JSONResponse({"error": "The request body must be a JSON object."}, status_code=400)
        action_name = str(action_call.get("next_action", ""))
        try:
            result = await executor.run(action_call)
        except ActionNotFoundException as error:
            return JSONResponse({"error": error.message, "action_name": error.action_name}, status_code=404)
        except ActionExecutionRejection as error:
            return JSONResponse({"error": error.message, "action_name": error.action_name}, status_code=400)
        except ActionMissingDomainException as error:
            return JSONResponse({"error": error.message, "action_name": error.action_name}, status_code=449)
        except (KeyError, TypeError) as error:
            log.warning("action call %s rejected: %s", action_name, type(error).__name__)
            return JSONResponse({"error": "The action call is missing a tracker."}, status_code=400)
        if result is None:
            return JSONResponse({"error": "No action named in `next_action`."}, status_code=400)
        return JSONResponse(result.model_dump(by_alias=True))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def actions(request: Request) -> Response:
        return JSONResponse([{"name": action.name} for action in executor.list_actions()])

    return Starlette(
        routes=[
            Route("/webhook", webhook, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
            Route("/actions", actions, methods=["GET"]),
        ]
    )
