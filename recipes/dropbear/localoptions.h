/*
 * camfw's dropbear: the camera's SSH server, for its owner only. Logins are checked by
 * camfw-login (owner-login.patch), so password authentication is the only method: no
 * public keys (authorized_keys would live in the stock firmware's /). No forwarding of
 * any kind, no SFTP, no message of the day. The host key is Ed25519 alone, which an
 * ARM926 makes in a second (an RSA key takes minutes), kept on the card by
 * services/60-ssh.sh.
 */
#define DROPBEAR_X11FWD 0
#define DROPBEAR_SVR_AGENTFWD 0
#define DROPBEAR_SVR_LOCALTCPFWD 0
#define DROPBEAR_SVR_REMOTETCPFWD 0
#define DROPBEAR_SVR_PUBKEY_AUTH 0
#define DROPBEAR_SVR_PUBKEY_OPTIONS 0
#define DROPBEAR_SK_KEYS 0
#define DROPBEAR_SVR_PASSWORD_AUTH 1
#define DROPBEAR_SFTPSERVER 0
#define DO_MOTD 0

#define DROPBEAR_RSA 0
#define DROPBEAR_RSA_SHA1 0
#define DROPBEAR_DSS 0
#define DROPBEAR_ECDSA 0
#define DROPBEAR_ED25519 1

/* three passwords per connection, as telnet; half a minute to log in, not five */
#define MAX_AUTH_TRIES 3
#define AUTH_TIMEOUT 30
