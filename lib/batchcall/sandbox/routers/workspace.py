"""Agents, phone numbers and the telephony config: read-only views of the workspace file."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from batchcall.api.models import Agent, PhoneNumber, TelephonyConfig
from batchcall.sandbox.deps import PaginationDep, WorkspaceDep
from batchcall.sandbox.errors import ApiProblem
from batchcall.sandbox.schemas import BadRequestBody, ErrorBody, Page
from batchcall.sandbox.security import require_api_key

router = APIRouter(
    tags=["workspace"],
    dependencies=[Depends(require_api_key)],
    responses={401: {"model": ErrorBody, "description": "Missing or wrong API key."}},
)
_BAD_PAGE = {400: {"model": BadRequestBody, "description": "page or limit out of range."}}


@router.get("/agents", response_model=Page[Agent], responses=_BAD_PAGE)
def list_agents(workspace: WorkspaceDep, pages: PaginationDep) -> dict[str, Any]:
    """Agents; ``{{name}}`` placeholders in a prompt are the variables it expects."""
    return pages.slice([agent.model_dump() for agent in workspace.agents])


@router.get(
    "/agents/{agent_id}",
    response_model=Agent,
    responses={404: {"model": ErrorBody, "description": "No such agent."}},
)
def get_agent(agent_id: str, workspace: WorkspaceDep) -> dict[str, Any]:
    agent = workspace.agent(agent_id)
    if agent is None:
        raise ApiProblem(404, f"Agent {agent_id} not found")
    return agent.model_dump()


@router.get("/phone-numbers", response_model=Page[PhoneNumber], responses=_BAD_PAGE)
def list_phone_numbers(workspace: WorkspaceDep, pages: PaginationDep) -> dict[str, Any]:
    """Workspace numbers; provider ``sip_trunk`` is a SIP route."""
    return pages.slice([number.model_dump() for number in workspace.phone_numbers])


@router.get("/telephony-config", response_model=TelephonyConfig)
def get_telephony_config(workspace: WorkspaceDep) -> dict[str, Any]:
    """Workspace Settings > Telephony Config: enabled countries and prefixes."""
    return workspace.telephony_config.model_dump()
