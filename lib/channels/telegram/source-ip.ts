import ipaddr from 'ipaddr.js';

/**
 * Networks Telegram sends webhook requests from, as published in the Bot API webhook guide.
 */
export const TELEGRAM_WEBHOOK_NETWORKS = ['149.154.160.0/20', '91.108.4.0/22'] as const;

const NETWORKS = TELEGRAM_WEBHOOK_NETWORKS.map((cidr) => ipaddr.parseCIDR(cidr));

/**
 * Returns true when `sourceIp` lies in one of Telegram's webhook networks. IPv4-mapped IPv6 addresses
 * (`::ffff:149.154.167.220`) are compared as IPv4; anything unparsable is rejected.
 */
export function isTelegramSourceIp(sourceIp: string | undefined): boolean {
  if (sourceIp === undefined || !ipaddr.isValid(sourceIp)) {
    return false;
  }

  let address = ipaddr.parse(sourceIp);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }

  return NETWORKS.some(
    ([network, bits]) => address.kind() === network.kind() && address.match(network, bits),
  );
}
