package config

import (
	"path/filepath"
	"testing"
)

func TestDefaultDataDir(t *testing.T) {
	tests := []struct {
		name    string
		goos    string
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"AICC_DATA wins", "linux", map[string]string{"AICC_DATA": "/srv/aicc", "XDG_DATA_HOME": "/x", "HOME": "/home/u"}, "/srv/aicc", false},
		{"AICC_DATA on windows", "windows", map[string]string{"AICC_DATA": `D:\aicc`, "LocalAppData": `C:\Users\u\AppData\Local`}, `D:\aicc`, false},
		{"AICC_DATA without HOME", "darwin", map[string]string{"AICC_DATA": "/data"}, "/data", false},
		{"linux XDG", "linux", map[string]string{"XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}, filepath.Join("/xdg", "aicc"), false},
		{"linux relative XDG ignored", "linux", map[string]string{"XDG_DATA_HOME": "rel", "HOME": "/home/u"}, filepath.Join("/home/u", ".local", "share", "aicc"), false},
		{"linux HOME", "linux", map[string]string{"HOME": "/home/u"}, filepath.Join("/home/u", ".local", "share", "aicc"), false},
		{"freebsd HOME", "freebsd", map[string]string{"HOME": "/home/u"}, filepath.Join("/home/u", ".local", "share", "aicc"), false},
		{"openbsd XDG", "openbsd", map[string]string{"XDG_DATA_HOME": "/xdg"}, filepath.Join("/xdg", "aicc"), false},
		{"linux no HOME", "linux", map[string]string{}, "", true},
		{"darwin", "darwin", map[string]string{"HOME": "/Users/u", "XDG_DATA_HOME": "/xdg"}, filepath.Join("/Users/u", "Library", "Application Support", "aicc"), false},
		{"darwin no HOME", "darwin", map[string]string{"XDG_DATA_HOME": "/xdg"}, "", true},
		{"windows", "windows", map[string]string{"LocalAppData": `C:\Users\u\AppData\Local`, "HOME": "/home/u"}, filepath.Join(`C:\Users\u\AppData\Local`, "aicc"), false},
		{"windows no LocalAppData", "windows", map[string]string{"HOME": "/home/u"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultDataDir(func(k string) string { return tt.env[k] }, tt.goos)
			if (err != nil) != tt.wantErr {
				t.Fatalf("DefaultDataDir() = %q, %v; want error %v", got, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("DefaultDataDir() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDBPath(t *testing.T) {
	if got, want := DBPath(filepath.Join("/home/u", "aicc")), filepath.Join("/home/u", "aicc", "aicc.db"); got != want {
		t.Errorf("DBPath = %q, want %q", got, want)
	}
}
