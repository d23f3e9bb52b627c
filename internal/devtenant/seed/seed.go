// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package seed builds a new tenant.json: the empty, noncompliant, compliant and shadowed seeds
// (directory, licences, policies, Exchange, Compliance and SharePoint settings, what the
// assessment reads) and the app certificates, and fills the parts added since into an older
// tenant.json on load. It writes through the service packages' defaults and nouns, so a seed
// object is what the service would have created.
package seed

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

// Seeds: "empty" (organization, the two apps, the break-glass account), "noncompliant" (a small
// clinic as most are found: no MFA policy, legacy auth allowed, security defaults off),
// "compliant" (the same clinic after applying the HIPAA checklist) and "shadowed" (the compliant
// clinic in which higher-priority custom threat policies turn the protection off again, so that
// only the order of precedence tells it is not compliant).

const (
	Empty          = "empty"
	Noncompliant   = "noncompliant"
	Compliant      = "compliant"
	Shadowed       = "shadowed"
	WriterCertFile = "writer-app-cert.pem"
	ReaderCertFile = "reader-app-cert.pem"
)

// Application permissions granted to the two apps. The writer holds everything devtenant serves;
// the reader only *.Read* permissions.
var (
	writerRoles = []string{"Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "Policy.ReadWrite.SecurityDefaults",
		"Application.Read.All", "User.Read.All", "Group.Read.All", "GroupMember.Read.All", "RoleManagement.Read.Directory",
		"Organization.Read.All", "Directory.Read.All"}
	readerRoles = []string{"Policy.Read.All", "User.Read.All", "Group.Read.All", "GroupMember.Read.All",
		"RoleManagement.Read.Directory", "Organization.Read.All", "Directory.Read.All"}
)

type seedUser struct {
	given, sur, nick, title, dept string
	enabled                       bool
	guest                         bool
}

var clinicStaff = []seedUser{
	{"Sarah", "Chen", "sarah.chen", "Physician", "Clinical", true, false},
	{"Michael", "Okafor", "michael.okafor", "Physician", "Clinical", true, false},
	{"Emily", "Rodriguez", "emily.rodriguez", "Nurse Practitioner", "Clinical", true, false},
	{"James", "Patel", "james.patel", "Registered Nurse", "Clinical", true, false},
	{"Aisha", "Thompson", "aisha.thompson", "Medical Assistant", "Clinical", true, false},
	{"Olivia", "Bennett", "olivia.bennett", "Lab Technician", "Clinical", true, false},
	{"Laura", "Kim", "laura.kim", "Front Desk Coordinator", "Front Desk", true, false},
	{"Daniel", "Brooks", "daniel.brooks", "Scheduler", "Front Desk", true, false},
	{"Sam", "Rivera", "sam.rivera", "Receptionist", "Front Desk", true, false},
	{"Maria", "Gonzalez", "maria.gonzalez", "Billing Specialist", "Billing", true, false},
	{"Kevin", "Walsh", "kevin.walsh", "IT Administrator", "IT", true, false},
	{"Patricia", "Nguyen", "patricia.nguyen", "Practice Manager", "Administration", true, false},
	{"Robert", "Fischer", "robert.fischer", "Medical Director", "Administration", true, false},
	{"Clinic", "Admin", "admin", "Administrator", "IT", true, false},
	{"Thomas", "Reed", "thomas.reed", "Former Nurse", "Clinical", false, false},
	{"Dana", "Whitfield", "dana_medbillingpartners.com#EXT#", "Billing Consultant", "", true, true},
}

const (
	skuE3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"
	skuP1 = "078d2b04-f1bd-4111-bbd4-b4b1b354cef4"
	skuE5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
)

// baseSeed is the seed a seed is built from: "shadowed" is "compliant" plus its own Exchange
// policies (seedShadowingPolicies).
func baseSeed(seed string) string {
	if seed == Shadowed {
		return Compliant
	}
	return seed
}

// newState builds a fresh tenant for seed with n extra synthetic users.
func New(dir, seed string, extraUsers int) (*store.State, error) {
	now := time.Now().UTC()
	base := baseSeed(seed)
	st := &store.State{
		Version: 1, Seed: seed, TenantID: store.NewGUID(), DisplayName: "Contoso Family Clinic",
		Domain: "contosoclinic.onmicrosoft.com", CreatedDateTime: store.GraphTime(now.AddDate(-3, 0, 0)),
		GroupMembers: map[string][]string{}, RoleMembers: map[string][]string{},
	}
	if err := addSigningKey(st); err != nil {
		return nil, err
	}
	writer := &store.App{DisplayName: "HIPAA Terraform Provider", AppID: store.NewGUID(), ObjectID: store.NewGUID(), ServicePrincipalID: store.NewGUID(), Secret: store.NewClientSecret(), Roles: writerRoles}
	reader := &store.App{DisplayName: "HIPAA Drift Reader", AppID: store.NewGUID(), ObjectID: store.NewGUID(), ServicePrincipalID: store.NewGUID(), Secret: store.NewClientSecret(), Roles: readerRoles}
	st.Apps = []*store.App{writer, reader}
	if _, err := EnsureAppCertificates(dir, st); err != nil {
		return nil, err
	}

	mkUser := func(su seedUser) *store.User {
		upn := su.nick + "@" + st.Domain
		u := &store.User{ID: store.NewGUID(), BusinessPhones: []string{}, DisplayName: su.given + " " + su.sur,
			GivenName: store.StrPtr(su.given), Surname: store.StrPtr(su.sur), UserPrincipalName: upn, AccountEnabled: su.enabled,
			AssignedLicenses: []store.AssignedLicense{}, CreatedDateTime: store.GraphTime(now.AddDate(0, -6, 0)), MailNickname: su.nick,
			UserType: "Member", PreferredLanguage: store.StrPtr("en-US"), UsageLocation: store.StrPtr("US")}
		if su.title != "" {
			u.JobTitle = store.StrPtr(su.title)
		}
		if su.dept != "" {
			u.Department = store.StrPtr(su.dept)
			u.Mail = store.StrPtr(strings.Replace(upn, ".onmicrosoft.com", ".com", 1))
			u.OfficeLocation = store.StrPtr("Main Street Clinic")
			u.CompanyName = store.StrPtr(st.DisplayName)
			u.AssignedLicenses = []store.AssignedLicense{{DisabledPlans: []string{}, SkuID: skuE3}, {DisabledPlans: []string{}, SkuID: skuP1}}
			if base == Compliant {
				u.AssignedLicenses = []store.AssignedLicense{{DisabledPlans: []string{}, SkuID: skuE5}}
			}
		}
		if su.guest {
			u.UserType = "Guest"
			u.Mail = store.StrPtr("dana@medbillingpartners.com")
			u.CreationType = store.StrPtr("Invitation")
			u.ExternalUserState = store.StrPtr("Accepted")
			u.DisplayName = su.given + " " + su.sur + " (Med Billing Partners)"
		}
		return u
	}
	bg := &store.User{ID: store.NewGUID(), BusinessPhones: []string{}, DisplayName: "Emergency Access Account 01",
		UserPrincipalName: "breakglass01@" + st.Domain, AccountEnabled: true, AssignedLicenses: []store.AssignedLicense{},
		CreatedDateTime: store.GraphTime(now.AddDate(-3, 0, 0)), MailNickname: "breakglass01", UserType: "Member", UsageLocation: store.StrPtr("US")}
	st.BreakGlassUserID = bg.ID
	st.Users = append(st.Users, bg)
	byNick := map[string]*store.User{}
	if seed != Empty {
		for _, su := range clinicStaff {
			u := mkUser(su)
			byNick[su.nick] = u
			st.Users = append(st.Users, u)
		}
	}
	addSyntheticUsers(st, extraUsers, now)

	addRole := func(template string, members ...*store.User) {
		r := graph.NewDirectoryRole(template)
		st.DirectoryRoles = append(st.DirectoryRoles, r)
		for _, m := range members {
			st.RoleMembers[r.ID] = append(st.RoleMembers[r.ID], m.ID)
			st.RoleAssignments = append(st.RoleAssignments, &store.RoleAssignment{ID: store.RoleAssignmentID(template, m.ID), DirectoryScopeID: "/", PrincipalID: m.ID, RoleDefinitionID: template})
		}
	}
	addGroup := func(name, nick, desc string, unified, roleAssignable bool, members ...*store.User) {
		grp := &store.Group{ID: store.NewGUID(), CreatedDateTime: store.GraphTime(now.AddDate(-2, 0, 0)), CreationOptions: []string{}, Description: store.StrPtr(desc),
			DisplayName: name, GroupTypes: []string{}, MailNickname: nick, ProxyAddresses: []string{},
			RenewedDateTime: store.GraphTime(now.AddDate(-2, 0, 0)), ResourceBehaviorOptions: []string{}, ResourceProvisioningOptions: []string{},
			SecurityEnabled: true, SecurityIdentifier: fmt.Sprintf("S-1-12-1-%d-%d-%d-%d", 1000000+len(st.Groups), 2000000, 3000000, 4000000)}
		if unified {
			grp.GroupTypes = []string{"Unified"}
			grp.MailEnabled = true
			grp.SecurityEnabled = false
			grp.Mail = store.StrPtr(nick + "@" + strings.Replace(st.Domain, ".onmicrosoft.com", ".com", 1))
			grp.ProxyAddresses = []string{"SMTP:" + *grp.Mail}
			grp.Visibility = store.StrPtr("Private")
		}
		if roleAssignable {
			grp.IsAssignableToRole = strPtr2(true)
		}
		st.Groups = append(st.Groups, grp)
		for _, m := range members {
			st.GroupMembers[grp.ID] = append(st.GroupMembers[grp.ID], m.ID)
		}
	}
	addGroup("Emergency Access Accounts", "emergencyaccess", "Break-glass accounts excluded from Conditional Access.", false, true, bg)
	if seed == Empty {
		addRole(directory.GlobalAdministrator, bg)
	} else {
		pick := func(nicks ...string) []*store.User {
			out := make([]*store.User, 0, len(nicks))
			for _, n := range nicks {
				out = append(out, byNick[n])
			}
			return out
		}
		staff := []*store.User{}
		for _, su := range clinicStaff {
			if su.enabled && !su.guest {
				staff = append(staff, byNick[su.nick])
			}
		}
		// Reporting lines (the manager navigation): clinical staff to the medical director,
		// everyone else to the practice manager, who reports to the medical director.
		st.Managers = map[string]string{}
		for _, su := range clinicStaff {
			switch {
			case su.guest || su.nick == "admin" || su.nick == "robert.fischer":
			case su.nick == "patricia.nguyen" || su.dept == "Clinical":
				st.Managers[byNick[su.nick].ID] = byNick["robert.fischer"].ID
			default:
				st.Managers[byNick[su.nick].ID] = byNick["patricia.nguyen"].ID
			}
		}
		addGroup("All Staff", "allstaff", "Everyone at Contoso Family Clinic.", true, false, staff...)
		addGroup("Clinicians", "clinicians", "Physicians, nurses and clinical staff with EHR access.", false, false, pick("sarah.chen", "michael.okafor", "emily.rodriguez", "james.patel", "aisha.thompson", "olivia.bennett")...)
		addGroup("Front Desk", "frontdesk", "Reception and scheduling.", false, false, pick("laura.kim", "daniel.brooks", "sam.rivera")...)
		addGroup("Billing", "billing", "Billing and claims.", false, false, pick("maria.gonzalez")...)
		addGroup("IT Admins", "itadmins", "IT administration.", false, false, pick("kevin.walsh", "admin")...)
		if base == Compliant {
			// Three standing Global Administrators (one the break-glass account); every other
			// privileged role is held through PIM eligibility (compliantEligibility).
			addRole(directory.GlobalAdministrator, append([]*store.User{bg}, pick("kevin.walsh", "admin")...)...)
			for _, r := range []string{directory.SecurityAdministrator, directory.ConditionalAccessAdministrator, directory.ExchangeAdministrator, directory.UserAdministrator, directory.BillingAdministrator} {
				addRole(r)
			}
		} else {
			addRole(directory.GlobalAdministrator, append([]*store.User{bg}, pick("kevin.walsh", "patricia.nguyen", "robert.fischer", "admin")...)...)
			addRole(directory.SecurityAdministrator, pick("kevin.walsh")...)
			addRole(directory.ConditionalAccessAdministrator, pick("kevin.walsh")...)
			addRole(directory.ExchangeAdministrator, pick("kevin.walsh")...)
			addRole(directory.UserAdministrator, pick("patricia.nguyen")...)
			addRole(directory.BillingAdministrator, pick("maria.gonzalez")...)
		}
	}
	st.Organization = newOrganization(st)
	st.SubscribedSkus = newSubscribedSkus(st, base, len(staff(st)))
	st.SecurityDefaults = &store.Record{ID: graph.SecurityDefaultsID, Cur: graph.NewSecurityDefaults(false), ChangedAt: now.AddDate(-1, 0, 0)}
	policies, err := seedPolicies(st, base, byNick)
	if err != nil {
		return nil, err
	}
	for _, p := range policies {
		st.CAPolicies = append(st.CAPolicies, &store.Record{ID: store.String(p, "id"), Cur: p, ChangedAt: now.AddDate(0, -1, 0)})
	}
	if err := FillAdmin(st); err != nil {
		return nil, err
	}
	if err := FillAssess(st); err != nil {
		return nil, err
	}
	return st, nil
}

func strPtr2(b bool) *bool { return &b }

func staff(st *store.State) []*store.User {
	var out []*store.User
	for _, u := range st.Users {
		if len(u.AssignedLicenses) > 0 {
			out = append(out, u)
		}
	}
	return out
}

// addSyntheticUsers appends n licensed-looking users quickly (10,000 in well under a second).
func addSyntheticUsers(st *store.State, n int, now time.Time) {
	created := store.GraphTime(now.AddDate(0, -1, 0))
	for i := 1; i <= n; i++ {
		nick := fmt.Sprintf("user%05d", i)
		st.Users = append(st.Users, &store.User{ID: store.NewGUID(), BusinessPhones: []string{}, DisplayName: fmt.Sprintf("Synthetic User %05d", i),
			GivenName: store.StrPtr("Synthetic"), Surname: store.StrPtr(fmt.Sprintf("User %05d", i)), UserPrincipalName: nick + "@" + st.Domain,
			AccountEnabled: true, AssignedLicenses: []store.AssignedLicense{}, CreatedDateTime: created, MailNickname: nick, UserType: "Member"})
	}
}

func addSigningKey(st *store.State) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{SerialNumber: tokens.RandomSerial(), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(5, 0, 0)}
	tmpl.Subject.CommonName = "devtenant token signing"
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	st.SigningKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	st.SigningCertPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return nil
}

// EnsureAppCertificates gives both apps a certificate credential, kept as a PEM file (key and
// certificate) in the data dir: SharePoint admin takes only certificates for app-only access, so
// the read-only app needs one too for the least-privilege read of SharePoint. A data dir made
// before the reader had one gets it on load; it reports whether the state changed.
func EnsureAppCertificates(dir string, st *store.State) (bool, error) {
	changed := false
	for i, file := range []string{WriterCertFile, ReaderCertFile} {
		a := st.Apps[i]
		path := filepath.Join(dir, file)
		bundle, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			if _, bundle, err = tokens.NewAppCertificate("CN=" + a.DisplayName); err != nil {
				return changed, err
			}
			if err := store.WriteFileAtomic(path, bundle, 0o600); err != nil {
				return changed, err
			}
		} else if err != nil {
			return changed, err
		}
		before := len(a.Certificates)
		if err := RegisterCert(a, bundle); err != nil {
			return changed, fmt.Errorf("%s: %w", file, err)
		}
		changed = changed || len(a.Certificates) != before
	}
	return changed, nil
}

// RegisterCert adds a certificate (PEM) to an app's key credentials.
func RegisterCert(a *store.App, certPEM []byte) error {
	cert, err := tokens.ParseCertPEM(certPEM)
	if err != nil {
		return err
	}
	if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
		return fmt.Errorf("app certificates must hold an RSA key")
	}
	x5t, x5tS256 := tokens.Thumbprints(cert.Raw)
	for _, c := range a.Certificates {
		if c.X5tS256 == x5tS256 {
			return nil
		}
	}
	a.Certificates = append(a.Certificates, &store.AppCert{CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})), X5t: x5t, X5tS256: x5tS256})
	return nil
}
