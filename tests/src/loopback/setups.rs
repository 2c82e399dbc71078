//! Every transport a client can use, with the proxy secrets the server
//! accepts: the list the demo and the tests run through.

use mtproto_core::SecureRandom;
use mtproto_core::transport::{
    ClientTransportConfig, DetectedTransport, FramingKind, ProxySecret, ServerTransportConfig,
    TransportKind,
};

use super::LoopbackError;

/// The DC id every obfuscated client writes into its init.
const DC_ID: i16 = 2;

/// The three kinds of MTProxy secret, as a server accepts them
/// (`/mtproto/mtproto-transports`, obfuscation; MTProxy's `dd` and `ee`).
#[derive(Clone, Debug)]
pub struct ProxySecrets {
    /// A plain 16-byte secret: obfuscated2 keyed by it, any framing.
    pub simple: ProxySecret,
    /// A `dd` secret: padded intermediate required.
    pub padded: ProxySecret,
    /// An `ee` secret: fake TLS, then obfuscated2 with padded intermediate.
    pub fake_tls: ProxySecret,
}

impl ProxySecrets {
    /// Fresh random secrets; the `ee` one names `domain` (the SNI a client
    /// sends and the server checks).
    pub fn generate(rng: &mut dyn SecureRandom, domain: &str) -> Result<Self, LoopbackError> {
        let mut keys = [[0u8; 16]; 3];
        for k in &mut keys {
            rng.fill(k)?;
        }
        let [simple, padded, tls] = keys;
        Ok(ProxySecrets {
            simple: ProxySecret::from_bytes(&simple)?,
            padded: ProxySecret::from_bytes(&[&[0xdd][..], &padded].concat())?,
            fake_tls: ProxySecret::fake_tls(tls, domain)?,
        })
    }

    /// What a server accepting all three secrets (at indexes 0, 1, 2) and
    /// every secretless transport is configured with.
    pub fn server_config(&self) -> ServerTransportConfig {
        ServerTransportConfig {
            secrets: vec![
                self.simple.clone(),
                self.padded.clone(),
                self.fake_tls.clone(),
            ],
            ..ServerTransportConfig::default()
        }
    }
}

/// One way to connect, and what the server must find it to be.
#[derive(Clone, Debug)]
pub struct Setup {
    /// A short name for output.
    pub name: &'static str,
    /// The client's transport.
    pub transport: ClientTransportConfig,
    /// What the server's detection must report.
    pub expected: DetectedTransport,
}

/// Every transport setup: the four framings, the three obfuscatable ones
/// obfuscated, obfuscated2 with each kind of secret, and HTTP. `http_host`
/// is the `Host` header HTTP sends.
pub fn setups(secrets: &ProxySecrets, http_host: &str) -> Vec<Setup> {
    use FramingKind::{Abridged, Full, Intermediate, PaddedIntermediate};
    let plain = |name, kind| Setup {
        name,
        transport: ClientTransportConfig::new(TransportKind::Framed(kind)),
        expected: DetectedTransport {
            kind: TransportKind::Framed(kind),
            obfuscated: false,
            fake_tls: false,
            secret_index: None,
            dc_id: None,
        },
    };
    // Secret indexes follow `ProxySecrets::server_config`.
    let obfuscated = |name, kind, secret: Option<(&ProxySecret, usize)>| {
        let mut transport = ClientTransportConfig::new(TransportKind::Framed(kind));
        transport.obfuscate = true;
        transport.dc_id = DC_ID;
        transport.secret = secret.map(|(s, _)| s.clone());
        Setup {
            name,
            transport,
            expected: DetectedTransport {
                kind: TransportKind::Framed(kind),
                obfuscated: true,
                fake_tls: secret.is_some_and(|(s, _)| s.is_fake_tls()),
                secret_index: secret.map(|(_, i)| i),
                dc_id: Some(DC_ID),
            },
        }
    };
    let mut http = ClientTransportConfig::new(TransportKind::Http);
    http.http_host = http_host.into();
    vec![
        plain("abridged", Abridged),
        plain("intermediate", Intermediate),
        plain("padded intermediate", PaddedIntermediate),
        plain("full", Full),
        obfuscated("obfuscated abridged", Abridged, None),
        obfuscated("obfuscated intermediate", Intermediate, None),
        obfuscated("obfuscated padded", PaddedIntermediate, None),
        obfuscated(
            "obfuscated + 16-byte secret",
            Intermediate,
            Some((&secrets.simple, 0)),
        ),
        obfuscated(
            "dd secret (padded)",
            PaddedIntermediate,
            Some((&secrets.padded, 1)),
        ),
        obfuscated(
            "ee secret (fake TLS)",
            PaddedIntermediate,
            Some((&secrets.fake_tls, 2)),
        ),
        Setup {
            name: "HTTP",
            transport: http,
            expected: DetectedTransport {
                kind: TransportKind::Http,
                obfuscated: false,
                fake_tls: false,
                secret_index: None,
                dc_id: None,
            },
        },
    ]
}
