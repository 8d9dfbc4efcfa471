-- One database per subgraph of schema/supergraph.yaml: each agency's subgraph owns its data, as in
-- production where each has its own PostgreSQL. The postgres image runs this once, when its data
-- volume is first initialised: after adding a subgraph, create its database by hand or recreate the
-- volume (`docker compose down -v`). test/src/__tests__/compose-file.test.ts checks these names
-- against the DATABASE_URLs of docker-compose.yml. Each subgraph migrates and seeds its own.
CREATE DATABASE framework;
CREATE DATABASE public_health;
CREATE DATABASE border_trade;
CREATE DATABASE firearms;
CREATE DATABASE finance;
CREATE DATABASE extradition;
CREATE DATABASE audit;
