package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stancetrack/stancetrack/store"
)

// user manages analysts' accounts: stancetrack user add NAME --role R,
// stancetrack user list.
func (c *cli) user(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		fmt.Fprintln(c.stderr, "usage: stancetrack user add NAME --role viewer|editor|admin [--db FILE]\n       stancetrack user list [--db FILE]")
		return exitError{2}
	}
	fs := c.newFlags("user " + args[0])
	db := dbFlag(fs)
	role := fs.String("role", "", "viewer (reads only), editor or admin (may write through the API)")
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return exitError{2}
	}
	if args[0] == "list" {
		if len(rest) != 0 {
			fmt.Fprintln(c.stderr, "usage: stancetrack user list [--db FILE]")
			return exitError{2}
		}
		st, err := c.openExistingStore(ctx, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Fprintf(c.stdout, "%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt)
		}
		return nil
	}
	if len(rest) != 1 || *role == "" {
		fmt.Fprintln(c.stderr, "usage: stancetrack user add NAME --role viewer|editor|admin [--db FILE]")
		return exitError{2}
	}
	if !store.ValidRole(*role) {
		fmt.Fprintf(c.stderr, "stancetrack user add: role must be viewer, editor or admin, not %q\n", *role)
		return exitError{2}
	}
	st, err := c.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.AddUser(ctx, rest[0], *role)
	switch {
	case errors.Is(err, store.ErrUserExists):
		fmt.Fprintf(c.stderr, "stancetrack user add: user %s already exists\n", rest[0])
		return exitError{1}
	case errors.Is(err, store.ErrBadUser):
		fmt.Fprintf(c.stderr, "stancetrack user add: %s\n", userMessage(err))
		return exitError{1}
	case err != nil:
		return err
	}
	fmt.Fprintf(c.stdout, "user %s added (%s); give them a token with: stancetrack token create %s\n", u.Name, u.Role, u.Name)
	return nil
}

// userMessage drops the store's sentinel prefix from a validation error.
func userMessage(err error) string {
	return strings.TrimPrefix(err.Error(), store.ErrBadUser.Error()+": ")
}

// token manages API tokens: stancetrack token create NAME prints a new
// token, alone on stdout, so that scripts can capture it;
// stancetrack token revoke NAME deletes all of a user's tokens.
func (c *cli) token(ctx context.Context, args []string) error {
	const usage = "usage: stancetrack token create NAME [--db FILE]\n       stancetrack token revoke NAME [--db FILE]"
	if len(args) == 0 || (args[0] != "create" && args[0] != "revoke") {
		fmt.Fprintln(c.stderr, usage)
		return exitError{2}
	}
	fs := c.newFlags("token " + args[0])
	db := dbFlag(fs)
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return exitError{2}
	}
	if len(rest) != 1 {
		fmt.Fprintln(c.stderr, usage)
		return exitError{2}
	}
	name := rest[0]
	st, err := c.openExistingStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "revoke" {
		n, err := st.RevokeTokens(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(c.stderr, "stancetrack token revoke: no user %s\n", name)
			return exitError{1}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "revoked %d tokens of %s\n", n, name)
		return nil
	}
	tok, err := st.CreateToken(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(c.stderr, "stancetrack token create: no user %s (add one: stancetrack user add %s --role editor)\n", name, name)
		return exitError{1}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, tok)
	fmt.Fprintf(c.stderr, "token for %s created; only its hash is stored, so copy it now\n", name)
	return nil
}
