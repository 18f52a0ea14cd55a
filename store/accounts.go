package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Roles. Reading is open to anyone who can reach the server; a token is
// needed to write, and a viewer's token cannot.
const (
	RoleViewer = "viewer"
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// ValidRole reports whether r is one of the roles.
func ValidRole(r string) bool { return r == RoleViewer || r == RoleEditor || r == RoleAdmin }

// User is an analyst's account.
type User struct {
	ID        int64
	Name      string
	Role      string
	CreatedAt string
}

// CanWrite reports whether the user may change data (tags, documents).
func (u User) CanWrite() bool { return u.Role == RoleEditor || u.Role == RoleAdmin }

var (
	// ErrUserExists is returned when adding a name that is taken.
	ErrUserExists = errors.New("store: user already exists")
	// ErrBadUser is returned for a name or role that cannot be used.
	ErrBadUser = errors.New("store: bad user")
)

// tokenPrefix makes a token recognisable (in a leaked log, to a secret
// scanner) and lets Authenticate refuse other strings without a query.
const tokenPrefix = "st_"

// maxUserName bounds names, which are shown as tag authors.
const maxUserName = 64

// checkUserName accepts letters, digits and . _ @ -, starting with a letter
// or digit: names end up in tags, exports and command lines, where spaces,
// quotes and control characters only cause trouble.
func checkUserName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > maxUserName {
		return fmt.Errorf("%w: name must be 1 to %d characters", ErrBadUser, maxUserName)
	}
	for i, r := range name {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || (i > 0 && strings.ContainsRune("._@-", r))
		if !ok {
			return fmt.Errorf("%w: name %q may hold only letters, digits and . _ @ - (starting with a letter or digit)", ErrBadUser, name)
		}
	}
	return nil
}

// AddUser creates an account. A taken name is ErrUserExists.
func (s *Store) AddUser(ctx context.Context, name, role string) (User, error) {
	if err := checkUserName(name); err != nil {
		return User{}, err
	}
	if !ValidRole(role) {
		return User{}, fmt.Errorf("%w: role must be viewer, editor or admin", ErrBadUser)
	}
	u := User{Name: name, Role: role, CreatedAt: time.Now().UTC().Format(time.RFC3339)}
	// ON CONFLICT DO NOTHING tells a taken name from other failures
	// without matching the driver's error text.
	err := s.db.QueryRowContext(ctx, `INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING RETURNING id`, u.Name, u.Role, u.CreatedAt).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("%w: %s", ErrUserExists, name)
	}
	if err != nil {
		return User{}, fmt.Errorf("store: add user %s: %w", name, err)
	}
	return u, nil
}

// Users lists the accounts by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, role, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// newToken returns a fresh token: the prefix and 32 random bytes in
// unpadded base64url (43 characters), safe in headers and shells.
func newToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("store: token: %w", err)
	}
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new token for the named user and returns it. Only its
// hash is stored, so this is the one time it can be read. An unknown user
// is ErrNotFound.
func (s *Store) CreateToken(ctx context.Context, userName string) (string, error) {
	token, err := newToken()
	if err != nil {
		return "", err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	r, err := s.db.ExecContext(ctx, `INSERT INTO tokens (user_id, hash, created_at)
		SELECT id, ?, ? FROM users WHERE name = ?`, tokenHash(token), now, userName)
	if err != nil {
		return "", fmt.Errorf("store: token for %s: %w", userName, err)
	}
	if n, err := r.RowsAffected(); err != nil {
		return "", fmt.Errorf("store: token for %s: %w", userName, err)
	} else if n == 0 {
		return "", fmt.Errorf("store: token for %s: no such user: %w", userName, ErrNotFound)
	}
	return token, nil
}

// RevokeTokens deletes every token of the named user and returns how many
// there were. An unknown user is ErrNotFound.
func (s *Store) RevokeTokens(ctx context.Context, userName string) (int, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, userName).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: revoke tokens of %s: no such user: %w", userName, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: revoke tokens of %s: %w", userName, err)
	}
	r, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE user_id = ?`, id)
	if err != nil {
		return 0, fmt.Errorf("store: revoke tokens of %s: %w", userName, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: revoke tokens of %s: %w", userName, err)
	}
	return int(n), nil
}

// maxTokenLen bounds what is hashed: real tokens are 46 characters.
const maxTokenLen = 128

// Authenticate returns the user a token belongs to, or ErrNotFound for a
// token that is malformed, revoked or never existed. It records when the
// token was last used, at most once a minute, so that reads of the
// authenticated path rarely write.
func (s *Store) Authenticate(ctx context.Context, token string) (User, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > maxTokenLen {
		return User{}, ErrNotFound
	}
	var u User
	var tokenID int64
	var lastUsed sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.created_at, t.id, t.last_used_at
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`, tokenHash(token)).
		Scan(&u.ID, &u.Name, &u.Role, &u.CreatedAt, &tokenID, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("store: authenticate: %w", err)
	}
	now := time.Now().UTC()
	// A read-only store records nothing, not even when a token was used.
	if last, perr := time.Parse(time.RFC3339, lastUsed.String); !s.readOnly && (!lastUsed.Valid || perr != nil || now.Sub(last) >= time.Minute) {
		// When another process holds the write lock (a long ingest), the
		// last use is not worth failing the request for: it is recorded
		// next time.
		if _, err := s.db.ExecContext(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`,
			now.Format(time.RFC3339), tokenID); err != nil && !isBusy(err) {
			return User{}, fmt.Errorf("store: authenticate: %w", err)
		}
	}
	return u, nil
}
