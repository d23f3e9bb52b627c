// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// graphJob is one Graph source on its way through the rounds: the first page goes out in the
// first batch; each later round batches the next pages of every list that has more.
type graphJob struct {
	p    *pending
	spec snapshot.Spec
	next string // Relative URL of the request to send this round.
	sink sink
}

// sink consumes a source's pages. page returns the @odata.nextLink ("" when done).
type sink interface {
	page(body []byte) (next string, err error)
	result() ([]byte, error)
}

// graph reads the Graph sources in rounds of batches. Only a refused credential is fatal.
func (r *run) graph(ctx context.Context, ps []*pending) error {
	jobs := make([]*graphJob, 0, len(ps))
	for _, p := range ps {
		spec := snapshot.Specs[p.id]
		j := &graphJob{p: p, spec: spec, next: spec.Path}
		switch {
		case p.id == snapshot.GraphUserRegistrationDetails:
			j.sink = &registrationSink{limit: r.opts.MaxUnregisteredListed}
		case spec.List:
			j.sink = &listSink{}
		default:
			j.sink = &objectSink{}
		}
		jobs = append(jobs, j)
	}
	for len(jobs) > 0 {
		reqs := make([]m365.GraphRequest, len(jobs))
		for i, j := range jobs {
			reqs[i] = m365.GraphRequest{ID: fmt.Sprint(i + 1), URL: j.next}
		}
		answers, err := r.c.GraphBatch(ctx, reqs)
		if err != nil {
			var apiErr *m365.APIError
			if (errors.As(err, &apiErr) && apiErr.Kind == m365.KindAuth) || ctx.Err() != nil {
				return fmt.Errorf("collecting the tenant's configuration from Microsoft Graph: %w", err)
			}
			for _, j := range jobs {
				r.graphDone(j, 0, "", err)
			}
			return nil
		}
		var more []*graphJob
		for i, j := range jobs {
			a := answers[i]
			if a.Status < 200 || a.Status > 299 {
				r.graphDone(j, a.Status, m365.GraphErrorMessage(a.Status, a.Body)+permissionHint(a.Status, j.spec), nil)
				continue
			}
			next, err := j.sink.page(a.Body)
			if err != nil {
				r.graphDone(j, a.Status, "", fmt.Errorf("decoding the answer: %w", err))
				continue
			}
			if next == "" {
				r.graphDone(j, a.Status, "", nil)
				continue
			}
			if j.next, err = r.c.GraphRelative(next); err != nil {
				r.graphDone(j, a.Status, "", err)
				continue
			}
			more = append(more, j)
		}
		jobs = more
	}
	return nil
}

func permissionHint(status int, spec snapshot.Spec) string {
	if status == http.StatusForbidden && spec.Permission != "" {
		return ". The application needs the Microsoft Graph application permission " + spec.Permission + " (with admin consent)"
	}
	return ""
}

// graphDone finishes a Graph source: failed when msg or err says so, else with the sink's body.
func (r *run) graphDone(j *graphJob, status int, msg string, err error) {
	src := &snapshot.Source{Request: requestOf(r.c, j.p.id), Status: status, FetchedAt: r.opts.Now().UTC()}
	switch {
	case err != nil:
		src.Error = err.Error()
	case msg != "":
		src.Error = msg
	default:
		body, berr := j.sink.result()
		if berr != nil {
			src.Error = berr.Error()
		} else {
			src.Body = body
		}
	}
	r.complete(j.p, src)
}

// objectSink keeps a singleton verbatim.
type objectSink struct{ body []byte }

func (s *objectSink) page(body []byte) (string, error) {
	if !json.Valid(body) {
		return "", errors.New("the answer is not JSON")
	}
	s.body = bytes.Clone(body)
	return "", nil
}

func (s *objectSink) result() ([]byte, error) { return s.body, nil }

// listSink merges the pages of a list into {"value":[...]}, items verbatim.
type listSink struct {
	buf   bytes.Buffer
	count int
}

func (s *listSink) page(body []byte) (string, error) {
	var pg struct {
		Value    []json.RawMessage `json:"value"`
		NextLink string            `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(body, &pg); err != nil {
		return "", err
	}
	if s.buf.Len() == 0 {
		s.buf.WriteString(`{"value":[`)
	}
	for _, v := range pg.Value {
		if s.count > 0 {
			s.buf.WriteByte(',')
		}
		s.buf.Write(v)
		s.count++
	}
	return pg.NextLink, nil
}

func (s *listSink) result() ([]byte, error) {
	if s.buf.Len() == 0 {
		s.buf.WriteString(`{"value":[`)
	}
	return append(bytes.Clone(s.buf.Bytes()), ']', '}'), nil
}

// registrationSink folds the per-user registration report into a RegistrationSummary page by
// page: rows are decoded into four fields and dropped, so memory holds one page and the capped
// list of the users who fail.
type registrationSink struct {
	limit int
	sum   snapshot.RegistrationSummary
}

func (s *registrationSink) page(body []byte) (string, error) {
	var pg struct {
		Value []struct {
			UPN             string `json:"userPrincipalName"`
			UserType        string `json:"userType"`
			IsAdmin         bool   `json:"isAdmin"`
			IsMfaRegistered bool   `json:"isMfaRegistered"`
		} `json:"value"`
		NextLink string `json:"@odata.nextLink"`
	}
	if err := json.Unmarshal(body, &pg); err != nil {
		return "", err
	}
	s.sum.Pages++
	for _, u := range pg.Value {
		if !strings.EqualFold(u.UserType, "member") {
			continue
		}
		s.sum.Members++
		if u.IsMfaRegistered {
			s.sum.MembersMFARegistered++
			continue
		}
		s.sum.UnregisteredTotal++
		if len(s.sum.Unregistered) < s.limit {
			s.sum.Unregistered = append(s.sum.Unregistered, u.UPN)
		}
		if u.IsAdmin && len(s.sum.AdminsUnregistered) < s.limit {
			s.sum.AdminsUnregistered = append(s.sum.AdminsUnregistered, u.UPN)
		}
	}
	return pg.NextLink, nil
}

func (s *registrationSink) result() ([]byte, error) {
	if s.sum.Unregistered == nil {
		s.sum.Unregistered = []string{}
	}
	if s.sum.AdminsUnregistered == nil {
		s.sum.AdminsUnregistered = []string{}
	}
	return json.Marshal(s.sum)
}
