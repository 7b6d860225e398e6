package main

import (
	"strings"
	"testing"
)

func TestPropsFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		env         map[string]string
		wantErr     string // substring; "" for none
		wantSender  string
		wantTracing bool
		wantEnv     bool
	}{
		{name: "nothing set: placeholder sender", env: nil, wantSender: placeholderSender},
		{name: "sender and tracing", env: map[string]string{"RASP_MAIL_FROM": "RASP <rasp@example.gov.uk>", "RASP_TRACING": "true"},
			wantSender: "RASP <rasp@example.gov.uk>", wantTracing: true},
		{name: "account and region from the CDK CLI",
			env:        map[string]string{"RASP_MAIL_FROM": "rasp@example.gov.uk", "CDK_DEFAULT_ACCOUNT": "111111111111", "CDK_DEFAULT_REGION": "eu-west-2"},
			wantSender: "rasp@example.gov.uk", wantEnv: true},
		{name: "bad tracing", env: map[string]string{"RASP_TRACING": "sometimes"}, wantErr: "RASP_TRACING"},
		{name: "domain without certificate", env: map[string]string{"RASP_DOMAIN": "rasp.example.gov.uk"}, wantErr: "set together"},
		{name: "bad alarm address", env: map[string]string{"RASP_ALARM_EMAIL": "ops"}, wantErr: "AlarmEmail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// GIVEN some RASP_* variables
			getenv := func(k string) string { return tt.env[k] }
			// WHEN they are read
			p, err := propsFromEnv(getenv)
			// THEN the props follow them, or the error names the bad one
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if p.MailFrom != tt.wantSender || p.TracingEnabled != tt.wantTracing || (p.Env != nil) != tt.wantEnv {
				t.Errorf("got sender %q tracing %v env %v, want %q %v %v", p.MailFrom, p.TracingEnabled, p.Env != nil, tt.wantSender, tt.wantTracing, tt.wantEnv)
			}
		})
	}
}
