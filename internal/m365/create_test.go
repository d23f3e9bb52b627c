// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// fakeService holds named objects; create may commit and still fail, as a gateway that lost the
// answer does.
type fakeService struct {
	objs    []string // ids of the objects with the name
	creates int
	// answers[i] is the i-th create's outcome: commit the object, and the error to answer.
	answers []struct {
		commit bool
		err    error
	}
}

func (f *fakeService) creation() Creation[string] {
	return Creation[string]{
		What: "object",
		Find: func(context.Context) ([]string, error) { return append([]string(nil), f.objs...), nil },
		ID:   func(id string) string { return id },
		Create: func(context.Context) (string, error) {
			a := f.answers[f.creates]
			f.creates++
			id := fmt.Sprintf("id-%d", f.creates)
			if a.commit {
				f.objs = append(f.objs, id)
			}
			if a.err != nil {
				return "", a.err
			}
			return id, nil
		},
	}
}

func unavailable(status int) error { return &APIError{Kind: KindThrottled, Status: status} }

func TestCreateOnce(t *testing.T) {
	defer func(d time.Duration) { createSettle = d }(createSettle)
	createSettle = 300 * time.Millisecond
	type answer = struct {
		commit bool
		err    error
	}
	timeout := &url.Error{Op: "Post", URL: "https://graph", Err: errors.New("net/http: request canceled (Client.Timeout exceeded while awaiting headers)")}
	cases := []struct {
		name        string
		existing    []string
		answers     []answer
		wantID      string
		wantErr     bool
		wantCreates int
		wantObjs    int
	}{
		{"done behind a 503: adopted, not sent again", nil, []answer{{true, unavailable(503)}}, "id-1", false, 1, 1},
		{"done behind a 504", nil, []answer{{true, unavailable(504)}}, "id-1", false, 1, 1},
		{"done behind a timeout", nil, []answer{{true, timeout}}, "id-1", false, 1, 1},
		{"not done behind a 503: sent again", nil, []answer{{false, unavailable(503)}, {true, nil}}, "id-2", false, 2, 1},
		{"an object of that name that was there before is not taken for the new one",
			[]string{"other"}, []answer{{false, unavailable(503)}, {true, nil}}, "id-2", false, 2, 2},
		{"a 500 is a failure: no read-back, no second create", nil, []answer{{false, unavailable(500)}}, "", true, 1, 0},
		{"a refusal is a failure", nil, []answer{{false, &APIError{Kind: KindBadRequest, Status: 400}}}, "", true, 1, 0},
		{"gives up after CreateAttempts unknown outcomes", nil,
			[]answer{{false, unavailable(503)}, {false, unavailable(503)}, {false, unavailable(503)}}, "", true, CreateAttempts, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeService{objs: tc.existing, answers: tc.answers}
			id, err := CreateOnce(context.Background(), f.creation())
			if (err != nil) != tc.wantErr || id != tc.wantID {
				t.Errorf("CreateOnce = %q, %v; want %q, error %v", id, err, tc.wantID, tc.wantErr)
			}
			if f.creates != tc.wantCreates || len(f.objs) != tc.wantObjs {
				t.Errorf("%d creates sent, %d objects exist; want %d and %d", f.creates, len(f.objs), tc.wantCreates, tc.wantObjs)
			}
		})
	}
}

func TestOutcomeUnknown(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		ctx  context.Context
		err  error
		want bool
	}{
		{ctx, unavailable(http.StatusServiceUnavailable), true},
		{ctx, fmt.Errorf("creating: %w", unavailable(http.StatusGatewayTimeout)), true},
		{ctx, &url.Error{Op: "Post", Err: errors.New("connection reset by peer")}, true},
		{ctx, unavailable(http.StatusTooManyRequests), false},
		{ctx, unavailable(http.StatusInternalServerError), false},
		{cancelled, unavailable(http.StatusServiceUnavailable), false},
		{ctx, nil, false},
	} {
		if got := OutcomeUnknown(tc.ctx, tc.err); got != tc.want {
			t.Errorf("OutcomeUnknown(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
