#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The API a C header declares, one normalized line per entry, for comparing two headers.

  upstream-api.py extract HEADER             print the entries of HEADER
  upstream-api.py check EXPECTED HEADER      fail unless HEADER has every entry of EXPECTED,
                                             spelled the same (HEADER may have more)
  upstream-api.py c-asserts EXPECTED OUT.h   write C11 static assertions of EXPECTED's types

An entry is one of
  func NAME: [static inline ]RET NAME(TYPE, TYPE, ...)   (parameter names dropped)
  struct NAME: { MEMBER; ... }                           (whitespace and comments dropped)
  enum NAME: { NAME = VALUE, ... }
so a changed parameter type, a renamed struct member, a changed bit-field width or enum value
shows as a difference. tests/upstream-compat/ keeps upstream's igt_panthor.h API in this form
(derived from upstream's header with `extract`) and the build checks lib/igt_panthor.h against
it twice: textually with `check`, and by the compiler with the assertions of `c-asserts`.
"""
import re
import sys

TOKEN = re.compile(r'\s*(?:(\w+)|(\.\.\.)|(->)|(.))', re.S)
KEYWORDS = {'const', 'volatile', 'unsigned', 'signed', 'struct', 'enum', 'union', 'int', 'char',
            'short', 'long', 'void', 'bool', '_Bool', 'float', 'double', 'restrict'}


def strip(text):
    """Comments, preprocessor lines and attributes removed."""
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    text = re.sub(r'\\\n', ' ', text)
    text = re.sub(r'^\s*#[^\n]*', ' ', text, flags=re.M)
    text = re.sub(r'__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)', ' ', text)
    return text


def tokens(text):
    out = []
    for m in TOKEN.finditer(text):
        tok = m.group(1) or m.group(2) or m.group(3) or m.group(4)
        if tok and not tok.isspace():
            out.append(tok)
    return out


def join(toks):
    """Tokens as C text: one space between words, none around punctuation except commas."""
    s = ''
    for t in toks:
        if s and (re.match(r'\w', t) or t == '...') and re.search(r'\w$', s):
            s += ' '
        elif t == '*' and re.search(r'\w$', s):
            s += ' '
        s += t
        if t == ',':
            s += ' '
    return s.replace('( ', '(').replace(' )', ')').replace(', }', '}').replace(', )', ')')


def top_level_items(toks):
    """Splits a header into top-level items: token lists ending in ';' or a closing '}'."""
    items, cur, depth = [], [], 0
    for t in toks:
        cur.append(t)
        if t in '({[':
            depth += 1
        elif t in ')}]':
            depth -= 1
            if depth == 0 and t == '}' and is_function_body(cur):
                items.append(cur)
                cur = []
        elif t == ';' and depth == 0:
            items.append(cur)
            cur = []
    return items


def is_function_body(item):
    """A '{' right after the ')' of a parameter list: a function definition."""
    brace = item.index('{')
    return brace > 0 and item[brace - 1] == ')'


def split_params(toks):
    params, cur, depth = [], [], 0
    for t in toks:
        if t in '([{':
            depth += 1
        elif t in ')]}':
            depth -= 1
        if t == ',' and depth == 0:
            params.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        params.append(cur)
    return params


def param_type(p):
    """A parameter's type: its declarator name, if any, dropped."""
    if p == ['void'] or p == ['...']:
        return join(p)
    if len(p) > 1 and re.match(r'\w+$', p[-1]) and p[-1] not in KEYWORDS:
        p = p[:-1]
    return join(p)


def function_entry(head):
    """head: the tokens of a prototype up to and including its ')'."""
    depth, i = 0, len(head) - 1
    while i >= 0:
        if head[i] == ')':
            depth += 1
        elif head[i] == '(':
            depth -= 1
            if depth == 0:
                break
        i -= 1
    name = head[i - 1]
    prefix = [t for t in head[:i - 1] if t not in ('extern',)]
    linkage = 'static inline ' if 'static' in prefix else ''
    ret = [t for t in prefix if t not in ('static', 'inline', '__inline__')]
    params = ', '.join(param_type(p) for p in split_params(head[i + 1:-1]))
    ret_text = join(ret)
    sep = '' if ret_text.endswith('*') else ' '
    return name, 'func %s: %s%s%s%s(%s)' % (name, linkage, ret_text, sep, name, params)


def entries(path):
    out = {}
    for item in top_level_items(tokens(strip(open(path).read()))):
        if item[:1] == ['typedef']:
            continue
        if item[0] in ('struct', 'enum', 'union') and len(item) > 2 and item[2] == '{':
            kind, name = item[0], item[1]
            body = item[2:item.index('}', len(item) - 3) + 1] if item[-1] == ';' else item[2:]
            if item[-1] != ';' or item[-2] != '}':
                continue  # a variable of a struct type, not a type definition
            text = join(body)
            out['%s %s' % (kind, name)] = '%s %s: %s' % (kind, name, text)
            continue
        if '{' in item and is_function_body(item):
            head = item[:item.index('{')]
            name, entry = function_entry(head)
            out['func ' + name] = entry
            continue
        if item[-1] == ';' and '(' in item and '=' not in item:
            head = item[:-1]
            while head and head[-1] != ')':
                head = head[:-1]
            if head and '(' in head:
                name, entry = function_entry(head)
                out['func ' + name] = entry
    return out


def read_expected(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        key = line.split(':', 1)[0]
        out[key] = line
    return out


def cmd_extract(header):
    for entry in entries(header).values():
        print(entry)
    return 0


def cmd_check(expected, header):
    want, have, bad = read_expected(expected), entries(header), 0
    for key, line in want.items():
        if key not in have:
            print('%s: missing %s' % (header, line))
            bad += 1
        elif have[key] != line:
            print('%s: differs from upstream\n  upstream: %s\n  ours:     %s' %
                  (header, line, have[key]))
            bad += 1
    print('%d of %d upstream entries match' % (len(want) - bad, len(want)))
    return 1 if bad else 0


def cmd_c_asserts(expected, out):
    lines = ['/* Generated by scripts/upstream-api.py from %s: do not edit. */' % expected,
             '#define UPSTREAM_SAME_TYPE(a, b, what) \\',
             '\t_Static_assert(__builtin_types_compatible_p(__typeof__(a), b), what)']
    for key, line in read_expected(expected).items():
        kind, name = key.split(' ', 1)
        decl = line.split(': ', 1)[1]
        if kind == 'func':
            m = re.match(r'(?:static inline )?(.*?)\b%s\((.*)\)$' % re.escape(name), decl)
            ret, params = m.group(1).strip(), m.group(2)
            lines.append('UPSTREAM_SAME_TYPE(&%s, %s (*)(%s),\n\t\t   "%s: %s");' %
                         (name, ret, params, name, decl.replace('"', '\\"')))
        elif kind == 'enum':
            for m in re.finditer(r'(\w+)=([^,}]+)', decl):
                lines.append('_Static_assert(%s == %s, "enum %s: %s = %s");' %
                             (m.group(1), m.group(2).strip(), name, m.group(1),
                              m.group(2).strip()))
        elif kind == 'struct':
            lines += struct_asserts(name, decl)
    open(out, 'w').write('\n'.join(lines) + '\n')
    return 0


def members(toks, i):
    """Members of the struct or union body starting after toks[i - 1] == '{', up to its '}'.

    Returns (members, index after the '}'), each member as (path, declaration tokens); members
    of an anonymous struct or union are the parent's, a named one prefixes its own.
    """
    out = []
    while toks[i] != '}':
        if toks[i] in ('struct', 'union') and '{' in toks[i + 1:i + 3]:
            j = toks.index('{', i) + 1
            inner, j = members(toks, j)
            name = toks[j] if toks[j] != ';' else None
            out += [((name,) + path if name else path, decl) for path, decl in inner]
            i = toks.index(';', j) + 1
        else:
            j = toks.index(';', i)
            out.append(((), toks[i:j]))
            i = j + 1
    return out, i + 1


def struct_asserts(name, body):
    """Member types (plain members) and member existence (bit-fields, which typeof refuses)."""
    out = []
    toks = tokens(body)
    for path, decl in members(toks, 1)[0]:
        if ':' in decl:
            expr = '.'.join(path + (decl[decl.index(':') - 1],))
            out.append('_Static_assert(sizeof(((struct %s *)0)->%s + 0) > 0,\n\t       '
                       '"struct %s has a member %s");' % (name, expr, name, expr))
        else:
            expr, typ = '.'.join(path + (decl[-1],)), join(decl[:-1])
            out.append('UPSTREAM_SAME_TYPE(((struct %s *)0)->%s, %s,\n\t\t   '
                       '"struct %s: %s %s");' % (name, expr, typ, name, typ, expr))
    return out


def main(argv):
    if len(argv) == 3 and argv[1] == 'extract':
        return cmd_extract(argv[2])
    if len(argv) == 4 and argv[1] == 'check':
        return cmd_check(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == 'c-asserts':
        return cmd_c_asserts(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
