"""The flow file format as a typed model: what `flows/*.yml` may say, checked by pydantic.

`flows/schema.json` (for editors' YAML plugins) is generated from these classes by
`wegweiser flows schema`; a test keeps the two equal. The engine reads a validated `FlowFile`
into its own frozen steps (`bot/engine/flows.py`), with the line of each in the file.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from bot.engine.conditions import ConditionError, parse_condition

SCHEMA_ID = "https://wegweiser.invalid/flows.schema.json"
StepKind = Literal["say", "collect", "action", "set_slots", "link"]
STEP_KINDS: tuple[StepKind, ...] = ("collect", "action", "set_slots", "link", "say")

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,30}$")]
Target = Annotated[
    str,
    StringConstraints(pattern=r"^([a-z][a-z0-9_]{0,30}|END)$"),
    Field(description="A step id of the same flow, or END."),
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Keywords = Annotated[
    dict[LanguageCode, list[Annotated[str, StringConstraints(min_length=1)]]],
    Field(json_schema_extra={"additionalProperties": False}),
]


def _parses(text: str) -> str:
    try:
        parse_condition(text)
    except ConditionError as error:
        raise ValueError(str(error)) from error
    return text


Condition = Annotated[
    str,
    AfterValidator(_parses),
    Field(description='`slots.x`, `not slots.x`, `slots.x == "v"`, `slots.x in ["a", "b"]`, with and/or.'),
]


class _Part(BaseModel):
    """Every part of a flow file: no unknown keys, no quiet conversions (`yes` stays no boolean)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, frozen=True)


class IfThen(_Part):
    if_: Condition = Field(alias="if")
    then: Target


class Else(_Part):
    else_: Target = Field(alias="else")


def _rule_kind(value: Any) -> str:
    return "else-rule" if isinstance(value, dict) and "else" in value else "if-then-rule"


Rule = Annotated[
    Annotated[IfThen, Tag("if-then-rule")] | Annotated[Else, Tag("else-rule")],
    Discriminator(_rule_kind),
]


def _next_kind(value: Any) -> str:
    return "rule-list" if isinstance(value, list) else "step-target"


Next = Annotated[
    Annotated[Target, Tag("step-target")] | Annotated[list[Rule], Field(min_length=1), Tag("rule-list")],
    Discriminator(_next_kind),
    Field(description="A step id, END, or a list of `if:`/`then:` rules with a final `else:`."),
]


class ChoiceData(_Part):
    """One button: the slot value it sets, its German title, words that mean it."""

    value: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,24}$")]
    title: Annotated[str, StringConstraints(min_length=1)]
    if_: Condition | None = Field(None, alias="if")
    link: str | None = None
    keywords: Keywords | None = None


class ChoicesFrom(_Part):
    """Buttons taken from content (topics, municipalities, languages, workshops), then `add`."""

    from_: str = Field(alias="from")
    add: list[ChoiceData] = []


def _choices_kind(value: Any) -> str:
    return "choice-list" if isinstance(value, list) else "choices-from-content"


Choices = Annotated[
    Annotated[list[ChoiceData], Tag("choice-list")] | Annotated[ChoicesFrom, Tag("choices-from-content")],
    Discriminator(_choices_kind),
]


def _slots_kind(value: Any) -> str:
    return "mapping-list" if isinstance(value, list) else "one-mapping"


SetSlots = Annotated[
    Annotated[dict[str, Any], Tag("one-mapping")] | Annotated[list[dict[str, Any]], Tag("mapping-list")],
    Discriminator(_slots_kind),
]

# A step is exactly one of these kinds; the schema says so with `oneOf` over the required keys.
_ONE_KIND: JsonDict = {
    "oneOf": [
        {"required": ["say"]},
        {"required": ["collect", "ask"]},
        {"required": ["action"]},
        {"required": ["set_slots"]},
        {"required": ["link"]},
    ]
}


class StepData(_Part):
    model_config = ConfigDict(json_schema_extra=_ONE_KIND)

    id: Id | None = None
    say: Annotated[str, StringConstraints(min_length=1)] | None = None
    effect: Literal["delete_traces"] | None = Field(
        None, description="Ask the channel to wipe the conversation from her screen before this message."
    )
    collect: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")] | None = None
    ask: Annotated[str, StringConstraints(min_length=1)] | None = None
    choices: Choices | None = None
    location: bool | None = None
    free_text: bool | None = None
    max_length: Annotated[int, Field(ge=1)] | None = None
    skip_if_filled: bool | None = None
    reset_after_flow_ends: bool | None = None
    menu_buttons: bool | Literal["emergency"] | None = None
    action: Annotated[str, StringConstraints(pattern=r"^action_[a-z0-9_]+$")] | None = None
    set_slots: SetSlots | None = None
    link: str | None = None
    next: Next | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> StepData:
        kinds = [kind for kind in STEP_KINDS if getattr(self, kind) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a step needs exactly one of {', '.join(STEP_KINDS)}")
        if kinds == ["collect"] and self.ask is None:
            raise ValueError("a `collect` step needs its question in `ask`")
        return self

    @property
    def kind(self) -> StepKind:
        return next(kind for kind in STEP_KINDS if getattr(self, kind) is not None)


class FlowData(_Part):
    description: str = ""
    sensitive: bool = Field(False, description="Erase everything the flow collected when it ends or is left.")
    steps: Annotated[list[StepData], Field(min_length=1)]


class FlowFile(_Part):
    """Conversations in the shape of Rasa CALM flows, extended for button-first bots: flows/README.md."""

    model_config = ConfigDict(title="Wegweiser flow file")

    flows: Annotated[
        dict[Id, FlowData], Field(min_length=1, json_schema_extra={"additionalProperties": False})
    ]


class _EditorsSchema(GenerateJsonSchema):
    """The schema as an editor needs it: a key left out is how a file says "none" (no `null`),
    and no generated titles or `null` defaults beside the descriptions."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _without_null_defaults(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _without_null_defaults(value)
            for key, value in node.items()
            if not (key == "default" and value is None)
        }
    if isinstance(node, list):
        return [_without_null_defaults(item) for item in node]
    return node


def flow_schema() -> dict[str, Any]:
    """The JSON Schema of a flow file, as `flows/schema.json` holds it."""
    schema = FlowFile.model_json_schema(by_alias=True, schema_generator=_EditorsSchema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **_without_null_defaults(schema),
    }


def schema_text() -> str:
    """`flows/schema.json` as written by `wegweiser flows schema`."""
    return json.dumps(flow_schema(), indent=2, ensure_ascii=False) + "\n"
