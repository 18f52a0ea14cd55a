// Package deploy holds checks on the deployment files at the repository
// root. No Docker engine runs on our machines, so the compose file is
// validated against the compose specification rather than started.
package deploy

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

func TestComposeFileIsValid(t *testing.T) {
	opts, err := cli.NewProjectOptions([]string{"../docker-compose.yml"}, cli.WithName("stancetrack"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not validate: %v", err)
	}
	svc, ok := p.Services["stancetrack"]
	if !ok {
		t.Fatal("no stancetrack service")
	}
	if svc.Build == nil || svc.Build.Dockerfile != "Dockerfile" {
		t.Errorf("service builds from %+v, want the Dockerfile", svc.Build)
	}
	if svc.Environment["STANCETRACK_DB"] == nil || !strings.HasPrefix(*svc.Environment["STANCETRACK_DB"], "/data/") {
		t.Errorf("STANCETRACK_DB must point into the /data volume, got %v", svc.Environment["STANCETRACK_DB"])
	}
	var onVolume bool
	for _, v := range svc.Volumes {
		if v.Type == "volume" && v.Target == "/data" {
			onVolume = true
		}
	}
	if !onVolume {
		t.Errorf("the database directory /data is not on a named volume: %+v", svc.Volumes)
	}
	if len(svc.Ports) != 1 || svc.Ports[0].Target != 8080 || svc.Ports[0].HostIP != "127.0.0.1" {
		t.Errorf("ports = %+v, want 127.0.0.1:8080->8080", svc.Ports)
	}
}

func TestComposeRejectsBrokenFile(t *testing.T) {
	// The check above must be able to fail: a file with a bad key is refused.
	f := t.TempDir() + "/bad.yml"
	if err := os.WriteFile(f, []byte("services:\n  web:\n    image: x\n    ports: 8080\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{f}, cli.WithName("bad"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := opts.LoadProject(context.Background()); err == nil {
		t.Fatal("LoadProject accepted ports: 8080 (not a list)")
	}
}

func TestDockerfileBuildsTheBinary(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go build", "./cmd/stancetrack", "scripts/fetch-assets.sh", "STANCETRACK_DB=/data/"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}
