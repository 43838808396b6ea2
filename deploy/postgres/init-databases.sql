-- Paper and live keep separate ledgers: one database each.
CREATE DATABASE centaur_paper;
CREATE DATABASE centaur_live;
