package engine

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pishkhan/pishkhan/rules"
)

// Customer is a requester known by contact details rather than a login:
// who calls, walks in or writes an email. Its segment (and region, volume,
// service level, special needs) is what rules route and measure by.
type Customer struct {
	ID           string    `bson:"_id" json:"id"`
	Name         string    `bson:"name,omitempty" json:"name,omitempty"`
	Email        string    `bson:"email,omitempty" json:"email,omitempty"`
	Phone        string    `bson:"phone,omitempty" json:"phone,omitempty"`
	Segment      string    `bson:"segment,omitempty" json:"segment,omitempty"`
	Region       string    `bson:"region,omitempty" json:"region,omitempty"`
	Volume       string    `bson:"volume,omitempty" json:"volume,omitempty"`
	ServiceLevel string    `bson:"serviceLevel,omitempty" json:"serviceLevel,omitempty"`
	Needs        []string  `bson:"needs,omitempty" json:"needs,omitempty"`
	Language     string    `bson:"language,omitempty" json:"language,omitempty"`
	CreatedAt    time.Time `bson:"createdAt" json:"createdAt"`
	UpdatedAt    time.Time `bson:"updatedAt" json:"updatedAt"`
}

// Subject is how requests name the customer as their requester.
func (c *Customer) Subject() string { return "customer:" + c.ID }

// Profile is the customer as rules see a requester.
func (c *Customer) Profile() rules.Requester {
	return rules.Requester{ID: c.Subject(), Name: c.Name, Email: c.Email, Segment: c.Segment}
}

// NormalizeEmail returns the address part of an email, lower-cased; ""
// if it is not one.
func NormalizeEmail(s string) string {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || len(a.Address) > 254 {
		return ""
	}
	return strings.ToLower(a.Address)
}

// NormalizePhone keeps a phone number's digits (and a leading +), so that
// "+98 21 1234-5678", "+982112345678" and the same in Persian digits are
// one number; "" if it is not one (6 to 16 digits).
func NormalizePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '۰' && r <= '۹': // Persian digits
			b.WriteRune('0' + r - '۰')
		case r >= '٠' && r <= '٩': // Arabic-Indic digits
			b.WriteRune('0' + r - '٠')
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return ""
		}
	}
	out := b.String()
	if rest, ok := strings.CutPrefix(out, "00"); ok {
		out = "+" + rest // the international prefix dialled from most countries
	}
	if n := len(strings.TrimPrefix(out, "+")); n < 6 || n > 16 {
		return ""
	}
	return out
}

// CustomerDetails are what intake knows of a customer.
type CustomerDetails struct {
	Name    string
	Email   string
	Phone   string
	Segment string
}

// IntakeCustomer finds the customer with the email (or else the phone)
// given, or creates one. A customer's id comes from the first contact it
// was created with, so two intakes racing for a new customer make one.
// Details a known customer lacks are added; known ones are not changed
// (a segment is set by staff on the profile, not by whoever files).
func (r *Requests) IntakeCustomer(ctx context.Context, d CustomerDetails) (*Customer, error) {
	email, phone, err := d.contact()
	if err != nil {
		return nil, err
	}
	now := r.now().Truncate(time.Millisecond)
	for attempt := 0; attempt < 3; attempt++ {
		c, err := r.store.CustomerFind(ctx, email, phone)
		if err == nil {
			if c.fillFrom(d, email, phone) {
				c.UpdatedAt = now
				if err := r.store.CustomerPut(ctx, c); err != nil {
					return nil, err
				}
			}
			return c, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		c = d.newCustomer(email, phone, now)
		err = r.store.CustomerInsert(ctx, c)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrDuplicate) {
			return nil, err
		}
	}
	return nil, conflictf("the customer profile kept changing; try again")
}

// contact checks the details and returns the email and phone normalised.
func (d CustomerDetails) contact() (email, phone string, err error) {
	email, phone = NormalizeEmail(d.Email), NormalizePhone(d.Phone)
	switch {
	case d.Email != "" && email == "":
		return "", "", invalidf("email: %q is not an email address", d.Email)
	case d.Phone != "" && phone == "":
		return "", "", invalidf("phone: %q is not a phone number (6 to 16 digits)", d.Phone)
	case email == "" && phone == "":
		return "", "", invalidf("give the requester's email or phone, to find or create their profile")
	case utf8.RuneCountInString(d.Name) > 200:
		return "", "", invalidf("name: at most 200 characters")
	}
	return email, phone, nil
}

// fillFrom adds the details a known customer lacks (known ones are not
// changed) and reports whether it added any.
func (c *Customer) fillFrom(d CustomerDetails, email, phone string) bool {
	changed := false
	fill := func(have *string, v string) {
		if *have == "" && v != "" {
			*have, changed = v, true
		}
	}
	fill(&c.Name, strings.TrimSpace(d.Name))
	fill(&c.Email, email)
	fill(&c.Phone, phone)
	fill(&c.Segment, d.Segment)
	return changed
}

// newCustomer is the profile intake creates for details nobody has yet;
// its id comes from the first contact.
func (d CustomerDetails) newCustomer(email, phone string, now time.Time) *Customer {
	id := "e-" + email
	if email == "" {
		id = "p-" + phone
	}
	return &Customer{ID: id, Name: strings.TrimSpace(d.Name), Email: email, Phone: phone, Segment: d.Segment, CreatedAt: now, UpdatedAt: now}
}

// CustomerProfile is the profile intake would give a requester with
// these details, without storing anything: the known customer's, or the
// one a new customer would get. Form rules evaluated while staff type a
// request for someone see the requester they will see at submission.
func (r *Requests) CustomerProfile(ctx context.Context, d CustomerDetails) (rules.Requester, error) {
	email, phone, err := d.contact()
	if err != nil {
		return rules.Requester{}, err
	}
	c, err := r.store.CustomerFind(ctx, email, phone)
	switch {
	case errors.Is(err, ErrNotFound):
		c = d.newCustomer(email, phone, time.Time{})
	case err != nil:
		return rules.Requester{}, err
	default:
		c.fillFrom(d, email, phone) // as intake would
	}
	return c.Profile(), nil
}

// Customer returns a customer profile by id.
func (r *Requests) Customer(ctx context.Context, id string) (*Customer, error) {
	return r.store.CustomerGet(ctx, id)
}

// UpdateCustomer replaces a profile's details (staff): segment, region,
// volume, service level, special needs, contact details.
func (r *Requests) UpdateCustomer(ctx context.Context, c *Customer) (*Customer, error) {
	old, err := r.store.CustomerGet(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if c.Email != "" {
		if c.Email = NormalizeEmail(c.Email); c.Email == "" {
			return nil, invalidf("email: not an email address")
		}
	}
	if c.Phone != "" {
		if c.Phone = NormalizePhone(c.Phone); c.Phone == "" {
			return nil, invalidf("phone: not a phone number (6 to 16 digits)")
		}
	}
	for _, f := range []string{c.Name, c.Segment, c.Region, c.Volume, c.ServiceLevel, c.Language} {
		if utf8.RuneCountInString(f) > 200 {
			return nil, invalidf("a profile's texts are at most 200 characters")
		}
	}
	if len(c.Needs) > 20 {
		return nil, invalidf("needs: at most 20")
	}
	c.CreatedAt, c.UpdatedAt = old.CreatedAt, r.now().Truncate(time.Millisecond)
	return c, r.store.CustomerPut(ctx, c)
}
