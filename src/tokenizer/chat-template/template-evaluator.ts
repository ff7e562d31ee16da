// Evaluates the syntax tree @huggingface/jinja's parser builds, with Jinja2's semantics (scoping,
// Undefined, Python values and their printing) and with limits on the work a template may do.
import { applyFilter, type BuiltinContext, contains, getAttr, getItem, makeGlobals, runTest } from "./jinja-builtins.js";
import {
  codePoints,
  fromJs,
  isDict,
  isNumber,
  isSeq,
  items,
  LoopContext,
  Namespace,
  num,
  PyCallable,
  PyFloat,
  PyTuple,
  type PyValue,
  pyCompare,
  pyEq,
  pyIter,
  pyStr,
  RenderError,
  truthy,
  typeName,
  Undefined,
} from "./py-values.js";

/** A parsed node (the shapes of @huggingface/jinja's ast.ts). */
type Node = { type: string } & Record<string, unknown>;

/** Limits on one rendering. */
export interface RenderLimits {
  /** Work units (evaluation steps, plus items and characters created) one rendering may spend. */
  maxSteps: number;
  /** Longest string (the output included) a rendering may build, in UTF-16 code units. */
  maxOutput: number;
  /** Wall-clock milliseconds one rendering may take. */
  maxMilliseconds: number;
}

/** A limit was reached: which one, and the value. */
export class LimitError extends Error {
  constructor(
    readonly limit: "steps" | "output" | "recursion" | "time",
    message: string,
  ) {
    super(message);
  }
}

class BreakLoop {}
class ContinueLoop {}

class Scope {
  readonly vars = new Map<string, PyValue>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): PyValue | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

const LITERALS = new Map<string, PyValue>([
  ["true", true],
  ["false", false],
  ["none", null],
  ["True", true],
  ["False", false],
  ["None", null],
]);

/** Statements whose value is their rendered text (not printed as a Python value). */
const BLOCK_STATEMENTS = new Set(["If", "For"]);
const SILENT_STATEMENTS = new Set(["Set", "Macro", "Comment"]);

const MAX_DEPTH = 400;

/** Renders one parsed template with `context`. */
export class TemplateEvaluator implements BuiltinContext {
  private steps = 0;
  private depth = 0;
  private nextClockCheck = 1 << 16;
  private readonly deadline: number;

  constructor(private readonly limits: RenderLimits) {
    this.deadline = Date.now() + limits.maxMilliseconds;
  }

  charge(units: number): void {
    this.steps += units;
    if (this.steps > this.limits.maxSteps) {
      throw new LimitError("steps", `the template did more work than the step budget allows (${this.limits.maxSteps.toLocaleString("en-US")} steps)`);
    }
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + (1 << 16);
      if (Date.now() > this.deadline) {
        throw new LimitError("time", `the template ran longer than the time limit (${(this.limits.maxMilliseconds / 1000).toLocaleString("en-US")} s)`);
      }
    }
  }

  private checkSize(s: string): string {
    if (s.length > this.limits.maxOutput) {
      throw new LimitError("output", `the template built a text longer than the output limit (${this.limits.maxOutput.toLocaleString("en-US")} characters)`);
    }
    return s;
  }

  render(program: Node, context: Record<string, unknown>): string {
    const root = new Scope();
    for (const [k, v] of makeGlobals(this)) root.vars.set(k, v);
    const vars = new Scope(root);
    for (const [k, v] of Object.entries(context)) vars.vars.set(k, fromJs(v));
    return this.block(program.body as Node[], vars);
  }

  private block(statements: Node[], scope: Scope): string {
    let out = "";
    for (const st of statements) {
      if (SILENT_STATEMENTS.has(st.type)) {
        this.exec(st, scope);
        continue;
      }
      const v = this.eval(st, scope);
      out += BLOCK_STATEMENTS.has(st.type) ? (v as string) : pyStr(v);
      if (out.length > this.limits.maxOutput) this.checkSize(out);
    }
    return out;
  }

  private exec(st: Node, scope: Scope): void {
    this.charge(1);
    if (st.type === "Set") this.set(st, scope);
    else if (st.type === "Macro") scope.vars.set((st.name as Node).value as string, this.macro(st, scope));
  }

  private set(st: Node, scope: Scope): void {
    const value = st.value ? this.eval(st.value as Node, scope) : this.block(st.body as Node[], new Scope(scope));
    this.assign(st.assignee as Node, value, scope);
  }

  private assign(target: Node, value: PyValue, scope: Scope): void {
    if (target.type === "Identifier") {
      scope.vars.set(target.value as string, value);
    } else if (target.type === "TupleLiteral") {
      const names = target.value as Node[];
      const vals = pyIter(value);
      if (vals.length !== names.length)
        throw new RenderError(
          "ValueError",
          `${vals.length > names.length ? "too many" : "not enough"} values to unpack (expected ${names.length}, got ${vals.length})`,
        );
      names.forEach((n, i) => {
        this.assign(n, vals[i]!, scope);
      });
    } else if (target.type === "MemberExpression" && !target.computed) {
      const obj = this.eval(target.object as Node, scope);
      if (!(obj instanceof Namespace)) throw new RenderError("TemplateRuntimeError", "Cannot assign attribute on non-namespace object");
      obj.attrs.set((target.property as Node).value as string, value);
    } else throw new RenderError("TemplateSyntaxError", "Can't assign to this expression");
  }

  private macro(st: Node, defScope: Scope): PyCallable {
    const params = st.args as Node[];
    const name = (st.name as Node).value as string;
    return new PyCallable(name, (args, kwargs) => {
      const scope = new Scope(defScope);
      params.forEach((p, i) => {
        const pname = (p.type === "KeywordArgumentExpression" ? (p.key as Node).value : p.value) as string;
        let v: PyValue | undefined = args[i];
        if (v === undefined && kwargs.has(pname)) v = kwargs.get(pname);
        if (v === undefined) v = p.type === "KeywordArgumentExpression" ? this.eval(p.value as Node, scope) : new Undefined(`'${pname}'`);
        scope.vars.set(pname, v);
      });
      scope.vars.set("varargs", args.slice(params.length));
      scope.vars.set(
        "kwargs",
        new Map([...kwargs].filter(([k]) => !params.some((p) => (p.type === "KeywordArgumentExpression" ? (p.key as Node).value : p.value) === k))),
      );
      if (++this.depth > MAX_DEPTH) throw new LimitError("recursion", `macros nested deeper than ${MAX_DEPTH} calls (recursion)`);
      try {
        return this.block(st.body as Node[], scope);
      } finally {
        this.depth--;
      }
    });
  }

  private eval(node: Node, scope: Scope): PyValue {
    this.charge(1);
    switch (node.type) {
      case "StringLiteral":
        return node.value as string;
      case "IntegerLiteral":
        return node.value as number;
      case "FloatLiteral":
        return new PyFloat(node.value as number);
      case "ArrayLiteral":
        return (node.value as Node[]).map((x) => this.eval(x, scope));
      case "TupleLiteral":
        return new PyTuple((node.value as Node[]).map((x) => this.eval(x, scope)));
      case "ObjectLiteral": {
        const m = new Map<string, PyValue>();
        for (const [k, v] of node.value as Map<Node, Node>) {
          const key = this.eval(k, scope);
          if (typeof key !== "string") throw new RenderError("TypeError", `dict keys must be strings here, got ${typeName(key)}`);
          m.set(key, this.eval(v, scope));
        }
        return m;
      }
      case "Identifier": {
        const name = node.value as string;
        const lit = LITERALS.get(name);
        if (lit !== undefined) return lit;
        const found = scope.lookup(name);
        return found === undefined ? new Undefined(`'${name}'`) : found;
      }
      case "MemberExpression":
        return this.member(node, scope);
      case "CallExpression":
        return this.call(node, scope);
      case "BinaryExpression":
        return this.binary(node, scope);
      case "UnaryExpression": {
        const v = this.eval(node.argument as Node, scope);
        const op = (node.operator as Node).value as string;
        if (op === "not") return !truthy(v);
        if (!isNumber(v)) throw new RenderError("TypeError", `bad operand type for unary ${op}: '${typeName(v)}'`);
        const r = op === "-" ? -num(v) : num(v);
        return v instanceof PyFloat ? new PyFloat(r) : r;
      }
      case "FilterExpression":
        return this.filter(this.eval(node.operand as Node, scope), node.filter as Node, scope);
      case "FilterStatement":
        return this.filter(this.block(node.body as Node[], scope), node.filter as Node, scope);
      case "TestExpression": {
        const v = this.eval(node.operand as Node, scope);
        const r = runTest((node.test as Node).value as string, v, []);
        return node.negate ? !r : r;
      }
      case "Ternary":
        return truthy(this.eval(node.condition as Node, scope)) ? this.eval(node.trueExpr as Node, scope) : this.eval(node.falseExpr as Node, scope);
      case "SelectExpression":
        return truthy(this.eval(node.test as Node, scope)) ? this.eval(node.lhs as Node, scope) : new Undefined("the if expression's else branch");
      case "If":
        return this.block((truthy(this.eval(node.test as Node, scope)) ? node.body : node.alternate) as Node[], scope);
      case "For":
        return this.forLoop(node, scope);
      case "Break":
        throw new BreakLoop();
      case "Continue":
        throw new ContinueLoop();
      case "CallStatement":
        return this.callBlock(node, scope);
      case "Set":
      case "Macro":
      case "Comment":
        this.exec(node, scope);
        return new Undefined("statement");
      default:
        throw new RenderError("TemplateSyntaxError", `Unsupported syntax: ${node.type}`);
    }
  }

  private args(nodes: Node[], scope: Scope): [PyValue[], Map<string, PyValue>] {
    const args: PyValue[] = [];
    const kwargs = new Map<string, PyValue>();
    for (const a of nodes) {
      if (a.type === "KeywordArgumentExpression") kwargs.set((a.key as Node).value as string, this.eval(a.value as Node, scope));
      else if (a.type === "SpreadExpression") args.push(...pyIter(this.eval(a.argument as Node, scope)));
      else if (a.type === "KeywordSpreadExpression") {
        const m = this.eval(a.argument as Node, scope);
        if (!isDict(m)) throw new RenderError("TypeError", "argument after ** must be a mapping");
        for (const [k, v] of m) kwargs.set(k, v);
      } else args.push(this.eval(a, scope));
    }
    return [args, kwargs];
  }

  private created(v: PyValue): PyValue {
    if (typeof v === "string") {
      this.charge(Math.floor(v.length / 16));
      this.checkSize(v);
    } else if (Array.isArray(v)) this.charge(v.length);
    return v;
  }

  private call(node: Node, scope: Scope): PyValue {
    const fn = this.eval(node.callee as Node, scope);
    const [args, kwargs] = this.args(node.args as Node[], scope);
    if (fn instanceof Undefined) throw new RenderError("UndefinedError", `${fn.hint} is undefined`);
    if (!(fn instanceof PyCallable)) throw new RenderError("TypeError", `'${typeName(fn)}' object is not callable`);
    return this.created(fn.call(args, kwargs));
  }

  private callBlock(node: Node, scope: Scope): PyValue {
    const callerParams = (node.callerArgs ?? []) as Node[];
    const caller = new PyCallable("caller", (args) => {
      const s = new Scope(scope);
      callerParams.forEach((p, i) => {
        const given = args[i];
        s.vars.set(
          (p.type === "KeywordArgumentExpression" ? (p.key as Node).value : p.value) as string,
          given !== undefined ? given : p.type === "KeywordArgumentExpression" ? this.eval(p.value as Node, s) : new Undefined("argument"),
        );
      });
      return this.block(node.body as Node[], s);
    });
    const inner = new Scope(scope);
    inner.vars.set("caller", caller);
    return this.call(node.call as Node, inner);
  }

  private filter(value: PyValue, filter: Node, scope: Scope): PyValue {
    if (filter.type === "Identifier") return this.created(applyFilter(this, filter.value as string, value, [], new Map()));
    const [args, kwargs] = this.args(filter.args as Node[], scope);
    return this.created(applyFilter(this, (filter.callee as Node).value as string, value, args, kwargs));
  }

  private member(node: Node, scope: Scope): PyValue {
    const obj = this.eval(node.object as Node, scope);
    const prop = node.property as Node;
    if (!node.computed) {
      if (prop.type === "IntegerLiteral") return getItem(obj, prop.value as number);
      return getAttr(obj, prop.value as string);
    }
    if (prop.type === "SliceExpression") return this.created(this.slice(obj, prop, scope));
    return getItem(obj, this.eval(prop, scope));
  }

  private slice(obj: PyValue, s: Node, scope: Scope): PyValue {
    if (obj instanceof Undefined) throw new RenderError("UndefinedError", `${obj.hint} is undefined`);
    const part = (n: Node | undefined): number | undefined => {
      if (!n) return undefined;
      const v = this.eval(n, scope);
      if (v === null) return undefined;
      if (typeof v !== "number" && typeof v !== "boolean") throw new RenderError("TypeError", "slice indices must be integers or None");
      return Number(v);
    };
    const step = part(s.step as Node | undefined) ?? 1;
    if (step === 0) throw new RenderError("ValueError", "slice step cannot be zero");
    const list = typeof obj === "string" ? codePoints(obj) : isSeq(obj) ? items(obj) : null;
    if (list === null) throw new RenderError("TypeError", `'${typeName(obj)}' object is not subscriptable`);
    const len = list.length;
    const norm = (i: number | undefined, dflt: number, lo: number, hi: number) => (i === undefined ? dflt : i < 0 ? Math.max(lo, len + i) : Math.min(i, hi));
    const out: PyValue[] = [];
    if (step > 0) {
      const start = norm(part(s.start as Node | undefined), 0, 0, len);
      const stop = norm(part(s.stop as Node | undefined), len, 0, len);
      for (let i = start; i < stop; i += step) out.push(list[i]!);
    } else {
      const start = norm(part(s.start as Node | undefined), len - 1, -1, len - 1);
      const stop = norm(part(s.stop as Node | undefined), -1, -1, len - 1);
      for (let i = start; i > stop; i += step) out.push(list[i]!);
    }
    if (typeof obj === "string") return (out as string[]).join("");
    return obj instanceof PyTuple ? new PyTuple(out) : out;
  }

  private binary(node: Node, scope: Scope): PyValue {
    const op = (node.operator as Node).value as string;
    const left = this.eval(node.left as Node, scope);
    if (op === "and") return truthy(left) ? this.eval(node.right as Node, scope) : left;
    if (op === "or") return truthy(left) ? left : this.eval(node.right as Node, scope);
    const right = this.eval(node.right as Node, scope);
    switch (op) {
      case "==":
        return pyEq(left, right);
      case "!=":
        return !pyEq(left, right);
      case "in":
        return contains(right, left);
      case "not in":
        return !contains(right, left);
      case "~": {
        const l = pyStr(left);
        const r = pyStr(right);
        this.charge(Math.floor((l.length + r.length) / 16));
        return this.checkSize(l + r);
      }
      case "<":
        return pyCompare(this.defined(left), this.defined(right)) < 0;
      case ">":
        return pyCompare(this.defined(left), this.defined(right)) > 0;
      case "<=":
        return pyCompare(this.defined(left), this.defined(right)) <= 0;
      case ">=":
        return pyCompare(this.defined(left), this.defined(right)) >= 0;
    }
    return this.created(this.arithmetic(op, this.defined(left), this.defined(right)));
  }

  private defined(v: PyValue): PyValue {
    if (v instanceof Undefined) throw new RenderError("UndefinedError", `${v.hint} is undefined`);
    return v;
  }

  private arithmetic(op: string, a: PyValue, b: PyValue): PyValue {
    const bad = () => new RenderError("TypeError", `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
    if (op === "+") {
      if (typeof a === "string" && typeof b === "string") {
        this.charge(Math.floor((a.length + b.length) / 16));
        return this.checkSize(a + b);
      }
      if (isSeq(a) && isSeq(b) && a instanceof PyTuple === b instanceof PyTuple) {
        this.charge(items(a).length + items(b).length);
        const joined = [...items(a), ...items(b)];
        return a instanceof PyTuple ? new PyTuple(joined) : joined;
      }
    }
    if (op === "*") {
      const rep = (x: PyValue, n: PyValue): PyValue | undefined => {
        if (typeof n !== "number" && typeof n !== "boolean") return undefined;
        const times = Math.max(0, Number(n));
        if (typeof x === "string") {
          this.charge(Math.floor((x.length * times) / 16));
          return this.checkSize(x.repeat(times));
        }
        if (isSeq(x)) {
          this.charge(items(x).length * times);
          const out: PyValue[] = [];
          for (let i = 0; i < times; i++) out.push(...items(x));
          return x instanceof PyTuple ? new PyTuple(out) : out;
        }
        return undefined;
      };
      const r = rep(a, b) ?? rep(b, a);
      if (r !== undefined) return r;
    }
    if (op === "%" && typeof a === "string") return applyFilter(this, "format", a, isSeq(b) ? items(b) : [b], new Map());
    if (!isNumber(a) || !isNumber(b)) throw bad();
    const x = num(a);
    const y = num(b);
    const isFloat = a instanceof PyFloat || b instanceof PyFloat;
    const wrap = (r: number) => (isFloat ? new PyFloat(r) : r);
    switch (op) {
      case "+":
        return wrap(x + y);
      case "-":
        return wrap(x - y);
      case "*":
        return wrap(x * y);
      case "/":
        if (y === 0) throw new RenderError("ZeroDivisionError", "division by zero");
        return new PyFloat(x / y);
      case "//":
        if (y === 0) throw new RenderError("ZeroDivisionError", "integer division or modulo by zero");
        return wrap(Math.floor(x / y));
      case "%": {
        if (y === 0) throw new RenderError("ZeroDivisionError", "integer division or modulo by zero");
        const r = x % y;
        return wrap(r !== 0 && r < 0 !== y < 0 ? r + y : r);
      }
      case "**": {
        const r = x ** y;
        if (!Number.isFinite(r) || Math.abs(r) > Number.MAX_SAFE_INTEGER * 1024) throw new RenderError("OverflowError", "the result of ** is too large");
        return isFloat || y < 0 ? new PyFloat(r) : r;
      }
    }
    throw bad();
  }

  private forLoop(node: Node, scope: Scope): string {
    let iterNode = node.iterable as Node;
    let cond: Node | undefined;
    if (iterNode.type === "SelectExpression") {
      cond = iterNode.test as Node;
      iterNode = iterNode.lhs as Node;
    }
    const source = this.eval(iterNode, scope);
    if (source === null || typeof source === "number" || typeof source === "boolean" || source instanceof PyFloat) {
      throw new RenderError("TypeError", `'${typeName(source)}' object is not iterable`);
    }
    let list = pyIter(source);
    const target = node.loopvar as Node;
    if (cond) {
      list = list.filter((item) => {
        const s = new Scope(scope);
        this.assign(target, item, s);
        return truthy(this.eval(cond!, s));
      });
    }
    if (list.length === 0) return this.block(node.defaultBlock as Node[], scope);
    let out = "";
    let lastChanged: PyValue[] | undefined;
    for (let i = 0; i < list.length; i++) {
      this.charge(3);
      const s = new Scope(scope);
      const loop = new LoopContext(
        list,
        i,
        () => lastChanged,
        (v: PyValue[]) => (lastChanged = v),
      );
      s.vars.set("loop", loop);
      this.assign(target, list[i]!, s);
      try {
        out += this.block(node.body as Node[], s);
      } catch (e) {
        if (e instanceof BreakLoop) break;
        if (e instanceof ContinueLoop) continue;
        throw e;
      }
      if (out.length > this.limits.maxOutput) this.checkSize(out);
    }
    return out;
  }
}
