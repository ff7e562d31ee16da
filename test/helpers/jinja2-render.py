"""Renders chat templates with Jinja2 exactly as Python transformers compiles them: the test oracle.

Reads one JSON document on stdin: {"cases": [{"template": str, "context": {...}, "generation": bool}]}
and prints {"results": [{"text": str, "generation": [[start, end], ...]} | {"error": str, "type": str}]}.
Environment as transformers' _compile_jinja_template: ImmutableSandboxedEnvironment(trim_blocks=True,
lstrip_blocks=True) with the loopcontrols extension, a {% generation %} tag that records where its
body landed (transformers' AssistantTracker), tojson as transformers overrides it (json.dumps,
ensure_ascii=False, no HTML escaping), raise_exception and strftime_now.
"""

import json
import sys
from datetime import datetime

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment


class GenerationTracker(Extension):
    tags = {"generation"}

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(generation_state={"blocks": None, "indices": None})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    @jinja2.pass_eval_context
    def _generation_support(self, context, caller):
        rv = caller()
        state = self.environment.generation_state
        if state["blocks"] is not None:
            start = len("".join(state["blocks"]))
            state["indices"].append((start, start + len(rv)))
        return rv


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTracker, jinja2.ext.loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = strftime_now


def continue_final(rendered_chat, chat):
    # transformers' render_jinja_template with continue_final_message=True
    final_message = chat[-1]["content"]
    if isinstance(final_message, (list, tuple)):
        for content_block in reversed(final_message):
            if "text" in content_block:
                final_message = content_block["text"]
                break
        else:
            raise ValueError("continue_final_message is set but we could not find any text to continue in the final message!")
    if final_message.strip() not in rendered_chat:
        raise ValueError("continue_final_message is set but the final message does not appear in the chat")
    final_msg_loc = rendered_chat.rindex(final_message.strip())
    if rendered_chat[final_msg_loc : final_msg_loc + len(final_message.lstrip())] == final_message:
        return rendered_chat[: final_msg_loc + len(final_message.lstrip())]
    return rendered_chat[: final_msg_loc + len(final_message.strip())]


def render(case):
    template = env.from_string(case["template"])
    context = case.get("context", {})
    if not case.get("generation"):
        text = template.render(**context)
        if case.get("continue_final_message"):
            text = continue_final(text, context["messages"])
        return {"text": text}
    blocks, indices = [], []
    env.generation_state = {"blocks": blocks, "indices": indices}
    try:
        for block in template.generate(**context):
            blocks.append(block)
    finally:
        env.generation_state = {"blocks": None, "indices": None}
    return {"text": "".join(blocks), "generation": [list(i) for i in indices]}


def main():
    request = json.load(sys.stdin)
    results = []
    for case in request["cases"]:
        try:
            results.append(render(case))
        except Exception as e:  # the oracle reports every failure as data
            results.append({"error": str(e), "type": type(e).__name__})
    sys.stdout.write(json.dumps({"results": results}, ensure_ascii=True))


main()
