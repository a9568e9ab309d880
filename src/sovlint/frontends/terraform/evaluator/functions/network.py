"""Terraform's IP network functions (cidrhost, cidrnetmask, cidrsubnet, cidrsubnets)."""

from __future__ import annotations

import ipaddress

from ..interpreter import concrete
from ..values import EvalError, Value, to_number, to_string


def _net(prefix: Value) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(to_string(concrete(prefix)), strict=False)
    except ValueError as exc:
        raise EvalError(f"invalid CIDR prefix: {exc}") from None


def _int(v: Value) -> int:
    n = to_number(concrete(v))
    if not isinstance(n, int):
        raise EvalError("a whole number is required")
    return n


def cidrhost(prefix: Value, hostnum: Value) -> str:
    net, n = _net(prefix), _int(hostnum)
    size = net.num_addresses
    if n < 0:
        n += size
    if not 0 <= n < size:
        raise EvalError("host number out of range for the prefix")
    return str(net.network_address + n)


def cidrnetmask(prefix: Value) -> str:
    net = _net(prefix)
    if net.version != 4:
        raise EvalError("cidrnetmask() is for IPv4 only")
    return str(net.netmask)


def cidrsubnet(prefix: Value, newbits: Value, netnum: Value) -> str:
    net, bits, num = _net(prefix), _int(newbits), _int(netnum)
    new_len = net.prefixlen + bits
    if bits < 0 or new_len > net.max_prefixlen or not 0 <= num < 2**bits:
        raise EvalError("cidrsubnet(): not enough address space")
    step = 2 ** (net.max_prefixlen - new_len)
    base = int(net.network_address) + num * step
    return f"{ipaddress.ip_address(base)}/{new_len}"


def cidrsubnets(prefix: Value, *newbits: Value) -> list[Value]:
    net = _net(prefix)
    current = int(net.network_address)
    end = current + net.num_addresses
    out: list[Value] = []
    for nb in newbits:
        bits = _int(nb)
        length = net.prefixlen + bits
        if bits < 1 or length > net.max_prefixlen:
            raise EvalError("cidrsubnets(): invalid new bits")
        size = 2 ** (net.max_prefixlen - length)
        current = -(-current // size) * size  # align
        if current + size > end:
            raise EvalError("cidrsubnets(): not enough address space")
        out.append(f"{ipaddress.ip_address(current)}/{length}")
        current += size
    return out


FUNCTIONS = {
    "cidrhost": cidrhost,
    "cidrnetmask": cidrnetmask,
    "cidrsubnet": cidrsubnet,
    "cidrsubnets": cidrsubnets,
}
