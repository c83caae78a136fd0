#!/usr/bin/env python3
"""Check that src/ keeps its layers: no use upward, no cycle.

Usage: check-layers.py LAYERS SRCDIR BUILDDIR [--expect FILE]

LAYERS is the data (tests/layers.txt): one line per layer, lowest first,
"name: folder ... [uses layer ...]", folders relative to SRCDIR. A file
belongs to the layer whose folder is the deepest one holding it; a folder
written "engines/*" makes each folder below it a room that may not use
another room of its layer. A layer may use itself and the layers it names.
To add a layer, add its line above the layers that will use it and name it
in their "uses"; a new engine needs only a folder under src/engines/.

What counts as a use, each checked against the layers:
  1. every #include "..." in SRCDIR/**/*.c and *.h, resolved as the compiler
     does (the includer's folder, then SRCDIR; anything else, such as
     include/kith.h, is public and may be included by anyone);
  2. every reference from one object of the library to a symbol another
     defines, read with nm from the objects that BUILDDIR's
     compile_commands.json lists for SRCDIR's .c files. The line is the
     name's first mention in code (not comments or strings) in the file,
     else in the headers it includes: a call made by a static inline
     function or a macro of a header is the header's.
Then every cycle among files, a .c and the .h of the same name in the same
folder being one module, made of the same includes and references. Any
cycle fails, within a layer too.

Prints one "path:line: ..." per violation, then a summary line. Exits 0
when clean, 1 on violations, 2 on bad input, 77 (skip) when nm is missing.
With --expect FILE it instead compares its output, less the summary, with
FILE and exits 0 when they agree (the self-test, tests/layers-selftest).
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
NOT_CODE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def die(message, code=2):
    print('check-layers: ' + message, file=sys.stderr)
    sys.exit(code)


def read_layers(path):
    """[(name, [folder parts], uses set)], lowest first."""
    layers, names = [], set()
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            name, sep, rest = line.partition(':')
            words = rest.split()
            folders = words[:words.index('uses')] if 'uses' in words else words
            uses = set(words[len(folders) + 1:])
            if not sep or not name.strip() or not folders:
                die(f'{path}:{number}: expected "name: folder ... [uses layer ...]"')
            for used in uses - names:
                die(f'{path}:{number}: "{used}" is not a layer listed above')
            name = name.strip()
            names.add(name)
            for folder in folders:
                parts = [p for p in folder.strip('/').split('/') if p not in ('', '.')]
                layers.append((name, parts, uses))
    return layers


def room_of(layers, rel):
    """(layer name, room) of a file path relative to SRCDIR, or None."""
    folder = rel.split('/')[:-1]
    best = None
    for name, parts, _ in layers:
        n = len(parts)
        if len(folder) < n or any(p != '*' and p != f for p, f in zip(parts, folder)):
            continue
        if best is None or n > best[0]:
            room = '/'.join(folder[:n]) if parts[-1:] == ['*'] else name
            best = (n, name, room)
    return best and best[1:]


def strip_code(text):
    """The text with comments and string and character literals blanked,
    lines kept where they were."""
    return NOT_CODE.sub(lambda m: re.sub(r'[^\n]', ' ', m.group()), text)


def nm_symbols(nm, obj):
    """(defined globals {name: kind}, undefined names) of one object."""
    run = subprocess.run([nm, '-P', obj], capture_output=True, text=True)
    if run.returncode != 0:
        die(f'{nm} -P {obj}: {run.stderr.strip()}')
    defined, undefined = {}, set()
    for line in run.stdout.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        name, kind = fields[0], fields[1]
        if kind == 'U':
            undefined.add(name)
        elif kind.isupper():
            defined[name] = 'calls' if kind == 'T' else 'uses'
    return defined, undefined


def library_objects(srcdir, builddir):
    """{source path relative to SRCDIR: object path} from compile_commands."""
    path = os.path.join(builddir, 'compile_commands.json')
    try:
        with open(path, encoding='utf-8') as f:
            commands = json.load(f)
    except (OSError, ValueError) as e:
        die(f'{path}: {e}')
    objects = {}  # a source compiled twice: one built object is enough
    for c in commands:
        rel = os.path.relpath(os.path.realpath(os.path.join(c['directory'], c['file'])), srcdir)
        obj = os.path.join(c['directory'], c['output'])
        if not rel.startswith('..') and (rel not in objects or os.path.exists(obj)):
            objects[rel] = obj
    for obj in objects.values():
        if not os.path.exists(obj):
            die(f'{obj} is not built (build the library first)')
    return objects


class Tree:
    def __init__(self, layers, srcdir):
        self.layers, self.srcdir = layers, srcdir
        self.shown = os.path.basename(srcdir.rstrip('/'))  # "src/..."
        self.files = sorted(
            os.path.relpath(os.path.join(d, f), srcdir)
            for d, _, fs in os.walk(srcdir) for f in fs if f.endswith(('.c', '.h')))
        self.code, self.includes = {}, {}
        for rel in self.files:
            with open(os.path.join(srcdir, rel), encoding='utf-8', errors='replace') as f:
                text = f.read()
            self.code[rel], depth = [], 0  # lines of code, brace depth at each
            for line in strip_code(text).split('\n'):
                self.code[rel].append((line, depth))
                depth += line.count('{') - line.count('}')
            self.includes[rel] = [(number, target) for number, line in enumerate(text.split('\n'), 1)
                                  for target in [self.resolve(rel, line)] if target]
        self.problems, self.edges = [], {}

    def show(self, rel):
        return self.shown + '/' + rel

    def resolve(self, rel, line):
        m = INCLUDE.match(line)
        if not m:
            return None
        for base in (os.path.dirname(rel), ''):
            target = os.path.normpath(os.path.join(base, m.group(1)))
            if not target.startswith('..') and os.path.isfile(os.path.join(self.srcdir, target)):
                return target
        return None  # public (include/) or outside the library

    def use(self, rel, line, target, what):
        """Record rel:line using target: an edge, and a problem if upward."""
        a, b = room_of(self.layers, rel), room_of(self.layers, target)
        module_a, module_b = os.path.splitext(rel)[0], os.path.splitext(target)[0]
        if module_a != module_b:
            self.edges.setdefault(module_a, {}).setdefault(module_b, (rel, line, what))
        if a and b and not self.may_use(a, b):
            self.problems.append((rel, line, f'{what} (layer {a[1]} may not use layer {b[1]})'))

    def may_use(self, a, b):
        if a[0] == b[0]:
            return a[1] == b[1]  # the same layer, and the same room in a /* one
        return any(b[0] in uses for name, _, uses in self.layers if name == a[0])

    def first_mention(self, rel, name):
        """(file, line) of the name's first mention in code in rel or the
        headers it includes, nearest first; a mention in a function body or
        a macro before one in a declaration; (rel, 1) when nowhere."""
        word = re.compile(r'\b' + re.escape(name) + r'\b')
        for in_body in (True, False):
            seen, queue = {rel}, [rel]
            for current in queue:
                for number, (line, depth) in enumerate(self.code[current], 1):
                    m = word.search(line)
                    if m and (not in_body or line.lstrip().startswith('#') or
                              depth + line.count('{', 0, m.start()) > line.count('}', 0, m.start())):
                        return current, number
                for _, target in self.includes[current]:
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
        return rel, 1

    def check(self, objects, nm):
        for rel in self.files:
            if not room_of(self.layers, rel):
                self.problems.append((rel, 1, 'is in no layer'))
            for number, target in self.includes[rel]:
                self.use(rel, number, target, 'includes ' + self.show(target))
        symbols = {rel: nm_symbols(nm, obj) for rel, obj in sorted(objects.items())}
        owner = {name: (rel, kind) for rel, (defined, _) in symbols.items()
                 for name, kind in defined.items()}
        calls = 0
        for rel, (_, undefined) in symbols.items():
            for name in sorted(undefined):
                if name in owner and owner[name][0] != rel:
                    target, kind = owner[name]
                    where, number = self.first_mention(rel, name)
                    self.use(where, number, target, f'{kind} {name} defined in {self.show(target)}')
                    calls += 1
        return calls

    def shortest_cycle(self, start):
        """[start, ..., last] where last uses start, or None."""
        back, frontier = {start: None}, [start]
        while frontier:
            nxt = []
            for u in frontier:
                for v in sorted(self.edges.get(u, ())):
                    if v == start:
                        path = [u]
                        while back[path[-1]] is not None:
                            path.append(back[path[-1]])
                        return path[::-1]
                    if v not in back:
                        back[v] = u
                        nxt.append(v)
            frontier = nxt
        return None

    def cycles(self):
        """One shortest cycle through each module that is on one."""
        found = []
        for start in sorted(self.edges):
            path = self.shortest_cycle(start)
            if path:
                turn = path.index(min(path))
                cycle = path[turn:] + path[:turn]
                if cycle not in found:
                    found.append(cycle)
        return found


def main(argv):
    args = [a for a in argv if a != '--expect']
    expect = argv[argv.index('--expect') + 1] if '--expect' in argv else None
    if expect:
        args.remove(expect)
    if len(args) != 3:
        die(__doc__.split('\n\n')[1])
    layers_path, srcdir, builddir = args
    nm = os.environ.get('NM', 'nm')
    if not shutil.which(nm):
        die(f'{nm} not found, skipping', 77)
    srcdir = os.path.realpath(srcdir)
    layers = read_layers(layers_path)
    tree = Tree(layers, srcdir)
    calls = tree.check(library_objects(srcdir, builddir), nm)
    lines = [f'{tree.show(rel)}:{line}: {what}' for rel, line, what in
             sorted(set(tree.problems), key=lambda p: (p[0], p[1], p[2]))]
    cycles = tree.cycles()
    for cycle in cycles:
        lines.append('cycle: ' + ' -> '.join(tree.show(m) for m in cycle + cycle[:1]))
        for u, v in zip(cycle, cycle[1:] + cycle[:1]):
            rel, line, what = tree.edges[u][v]
            lines.append(f'  {tree.show(rel)}:{line}: {what}')
    bad = len(set(tree.problems)) + len(cycles)
    summary = (f'layers: {len(tree.files)} files, {sum(map(len, tree.includes.values()))} '
               f'includes, {calls} cross-file references: '
               + (f'{len(set(tree.problems))} violations, {len(cycles)} cycles' if bad else
                  'every use goes downward, no cycle'))
    if expect:
        with open(expect, encoding='utf-8') as f:
            wanted = [line for line in f.read().split('\n') if line and not line.startswith('#')]
        diff = list(difflib.unified_diff(wanted, lines, expect, 'check-layers.py', lineterm=''))
        print('\n'.join(diff) or f'self-test: the {len(lines)} expected lines, no more')
        return 1 if diff else 0
    print('\n'.join(lines + [summary]))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
