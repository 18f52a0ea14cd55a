// Command stancetrack turns UN meetings coverage into data and charts:
// ingest documents, tag them with the codebook, export, and serve the
// dashboard. See README.md for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `stancetrack — who said what about the Security Council's purview

Usage:
  stancetrack ingest [--db FILE] [--codebook FILE] PATH...
  stancetrack export statements [--db FILE] [--meeting SYMBOL] --format jsonl|csv|xlsx [-o FILE]
  stancetrack export chart NAME --format png|svg|csv|json|html -o FILE [--width W --height H]
  stancetrack export network --format graphml -o FILE
  stancetrack export pack -o FILE.zip
      (every export takes the dashboard's filters: --meeting --body --from --to --delegation
       --kind --council --group --purview --frame --instrument --q)
  stancetrack serve [--db FILE] [--addr HOST:PORT] [--codebook FILE] [--sample]
  stancetrack import unsc-debates DIR [--meta FILE] [--db FILE] [--codebook FILE]
  stancetrack eval --gold FILE [--db FILE]
  stancetrack retag [--db FILE] [--codebook FILE]
  stancetrack codebook check FILE
  stancetrack healthcheck [--addr HOST:PORT]   (exit 0 when the server's /healthz answers 200)
  stancetrack user add NAME --role viewer|editor|admin [--db FILE]
  stancetrack user list [--db FILE]
  stancetrack token create NAME [--db FILE]    (prints a new API token on stdout)
  stancetrack token revoke NAME [--db FILE]
  stancetrack backup -o FILE [--force] [--db FILE]
  stancetrack restore FILE [--db FILE]         (stop the server first)

The database is --db, else $STANCETRACK_DB, else stancetrack.db in the working directory.
`

// exitError carries an exit status without printing anything more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	var ee exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(ee.code)
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "stancetrack:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand. It is main without the process: tests call
// it with their own arguments, writers and environment.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError{2}
	}
	env := &cli{stdout: stdout, stderr: stderr, getenv: getenv}
	switch args[0] {
	case "ingest":
		return env.ingest(ctx, args[1:])
	case "export":
		return env.export(ctx, args[1:])
	case "serve":
		return env.serve(ctx, args[1:])
	case "eval":
		return env.eval(ctx, args[1:])
	case "retag":
		return env.retag(ctx, args[1:])
	case "codebook":
		return env.codebook(ctx, args[1:])
	case "import":
		return env.importCmd(ctx, args[1:])
	case "healthcheck":
		return env.healthcheck(ctx, args[1:])
	case "user":
		return env.user(ctx, args[1:])
	case "token":
		return env.token(ctx, args[1:])
	case "backup":
		return env.backup(ctx, args[1:])
	case "restore":
		return env.restore(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "stancetrack: unknown command %q\n\n%s", args[0], usage)
		return exitError{2}
	}
}
