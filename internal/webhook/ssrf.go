package webhook

import (
	"errors"
	"net/netip"
	"syscall"
)

// ErrBlockedAddress is matched by errors.Is when the dispatcher refused to
// connect to a non-public address (see Config.AllowPrivate).
var ErrBlockedAddress = errors.New("webhook: address is not public")

// BlockedAddressError names the address a delivery was refused.
type BlockedAddressError struct{ Address string }

func (e *BlockedAddressError) Error() string {
	return "webhook: refusing to connect to non-public address " + e.Address + " (set AllowPrivate for on-premises receivers)"
}

func (e *BlockedAddressError) Is(target error) bool { return target == ErrBlockedAddress }

// nonPublic lists special-purpose ranges (RFC 6890 and successors) that
// the netip predicates do not cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001::/32"),       // Teredo tunnels
	netip.MustParsePrefix("2002::/16"),       // 6to4 tunnels
}

// nat64 embeds IPv4 addresses in IPv6 (RFC 6052); the embedded address is
// what the packet reaches, so it is what gets checked.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// publicAddr reports whether a is a public unicast address: not loopback,
// private, link-local, multicast, unspecified, nor in another
// special-purpose range. IPv4-mapped and NAT64 addresses are judged by the
// IPv4 address they carry.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is6() && nat64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte(b[12:]))
	}
	if !a.IsValid() || a.IsUnspecified() || a.IsLoopback() || a.IsPrivate() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() ||
		a.IsMulticast() || a.Zone() != "" {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// guardDial is a net.Dialer Control function: it runs after name
// resolution, on the address actually being dialled, so a host name that
// resolves to a private address is refused as surely as a literal one.
func guardDial(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &BlockedAddressError{Address: address} // not an IP address: nothing to vouch for
	}
	if !publicAddr(ap.Addr()) {
		return &BlockedAddressError{Address: ap.Addr().String()}
	}
	return nil
}
