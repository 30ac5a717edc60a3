"""A command whose free words may start with "-": `monitor search -بوتين`.

click reads every argument that starts with "-" as an option, so a query word written
with a leading minus (a copied headline, a hyphenated word) failed with "no such option"
or, worse, ran an option whose letter it began with (`-h...` printed the help). Here, an
argument is an option only when it is one of the command's own options (`--json`,
`--limit 5`, `--limit=5`); every other argument is a word of the command's variadic
argument, as if it came after `--`.
"""

from __future__ import annotations

import click


class WordsCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                words += args[i + 1 :]
                break
            name = arg.split("=", 1)[0]
            if name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg and i + 1 < len(args):
                    options.append(args[i + 1])
                    i += 1
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, [*options, "--", *words])
