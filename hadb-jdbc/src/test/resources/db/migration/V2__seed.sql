INSERT INTO account(owner, balance) VALUES ('alice', 100);
INSERT INTO account(owner, balance) VALUES ('bob', 100);
