package sim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// kubeTLS is the TLS listener of a server's simulated Kubernetes APIs:
// client-go sends credentials only over TLS (clientcmd: "only try to read
// the auth information if we are secure"), as kubectl does. It is started
// on first use, for scenarios with a kubeconfig, on the same loopback host,
// serving the same handler (log, knobs and the read-only rule included),
// and closed with the server. Kept beside Server, not in it, so the core
// server stays unaware of it.
var kubeTLS sync.Map // *Server → *kubeListener

type kubeListener struct {
	once  sync.Once
	url   string
	caPEM []byte
	err   error
}

// kubeEndpoint is the https base URL of the Kubernetes APIs and the PEM of
// the CA that signed its certificate.
func (s *Server) kubeEndpoint() (string, []byte, error) {
	v, _ := kubeTLS.LoadOrStore(s, &kubeListener{})
	l := v.(*kubeListener)
	l.once.Do(func() { l.url, l.caPEM, l.err = s.startKubeTLS() })
	return l.url, l.caPEM, l.err
}

func (s *Server) startKubeTLS() (string, []byte, error) {
	u, err := url.Parse(s.url)
	if err != nil {
		return "", nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ks-doctor-sim kube-apiserver"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(u.Hostname(), "0"))
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}}
	go srv.ServeTLS(ln, "", "")
	go func() {
		<-s.done
		srv.Close()
		kubeTLS.Delete(s)
	}()
	return "https://" + ln.Addr().String(), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
