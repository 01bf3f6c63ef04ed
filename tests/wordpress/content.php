<?php
/**
 * Deterministic content for the test blog: words, people, posts and comment threads.
 *
 * Shared by seed.php and add_more.php. Every choice goes through mt_rand, seeded by the caller,
 * so the same seed builds the same blog.
 */

function blogcorpus_pick( array $items ) {
	return $items[ mt_rand( 0, count( $items ) - 1 ) ];
}

function blogcorpus_chance( float $p ): bool {
	return mt_rand( 0, 999999 ) < $p * 1000000;
}

function blogcorpus_categories(): array {
	return array( 'Fieldwork', 'Books', 'Cities', 'Économie', 'Société', 'Technik & Alltag', 'Teaching', 'Notes' );
}

function blogcorpus_tags(): array {
	return array(
		'archives', 'interviews', 'methods', 'reading list', 'Paris', 'Berlin', 'lyon', 'trains',
		'conferences', 'data', 'maps', 'écologie', 'Mobilität', 'students', 'photography', 'history',
		'weekly', 'long read', 'open access', 'café',
	);
}

/** Sentences in three languages; posts and comments are made of these. */
function blogcorpus_sentences( string $lang ): array {
	$subjects = array(
		'en' => array( 'The archive', 'Our seminar', 'A reader', 'The neighbourhood', 'This small survey', 'The old railway', 'Every interview', 'The city council', 'My notebook', 'The second chapter' ),
		'fr' => array( 'L\'enquête', 'Le quartier', 'Une lectrice', 'Le séminaire', 'La mairie', 'Ce carnet', 'La vieille gare', 'Chaque entretien', 'Le deuxième chapitre', 'L\'été dernier' ),
		'de' => array( 'Die Umfrage', 'Das Viertel', 'Eine Leserin', 'Das Seminar', 'Der Stadtrat', 'Mein Notizbuch', 'Der alte Bahnhof', 'Jedes Gespräch', 'Das zweite Kapitel', 'Die Straßenbahn' ),
	);
	$verbs    = array(
		'en' => array( 'keeps surprising me with', 'says a lot about', 'was built around', 'quietly ignores', 'depends on', 'has changed because of', 'still remembers', 'argues against' ),
		'fr' => array( 'en dit long sur', 'dépend beaucoup de', 'a été pensé autour de', 'ignore tranquillement', 'a changé à cause de', 'se souvient encore de', 'plaide contre', 'révèle' ),
		'de' => array( 'erzählt viel über', 'hängt stark ab von', 'wurde gebaut um', 'übersieht leise', 'hat sich verändert durch', 'erinnert sich noch an', 'spricht gegen', 'zeigt' ),
	);
	$objects  = array(
		'en' => array( 'the people who live there', 'a forgotten map', 'the price of bread', 'the way we count things', 'a letter from 1953', 'the last tram line', 'what students actually read', 'a very long footnote' ),
		'fr' => array( 'les gens qui y vivent', 'une carte oubliée', 'le prix du pain', 'notre façon de compter', 'une lettre de 1953', 'la dernière ligne de tramway', 'ce que les étudiants lisent vraiment', 'une très longue note de bas de page' ),
		'de' => array( 'den Menschen, die dort wohnen', 'einer vergessenen Karte', 'dem Brotpreis', 'unserer Art zu zählen', 'einem Brief von 1953', 'der letzten Straßenbahnlinie', 'dem, was Studierende wirklich lesen', 'einer sehr langen Fußnote' ),
	);
	$out = array();
	foreach ( $subjects[ $lang ] as $s ) {
		foreach ( $verbs[ $lang ] as $v ) {
			$out[] = array( $s, $v );
		}
	}
	return array( $out, $objects[ $lang ] );
}

function blogcorpus_sentence( string $lang ): string {
	static $cache = array();
	if ( ! isset( $cache[ $lang ] ) ) {
		$cache[ $lang ] = blogcorpus_sentences( $lang );
	}
	list( $pairs, $objects ) = $cache[ $lang ];
	list( $s, $v )           = blogcorpus_pick( $pairs );
	$tail                    = blogcorpus_chance( 0.2 ) ? ( 'en' === $lang ? ', or so it seems' : ( 'fr' === $lang ? ', semble-t-il' : ', so scheint es' ) ) : '';
	return $s . ' ' . $v . ' ' . blogcorpus_pick( $objects ) . $tail . '.';
}

function blogcorpus_paragraph( string $lang, int $min = 2, int $max = 5 ): string {
	$n     = mt_rand( $min, $max );
	$parts = array();
	for ( $i = 0; $i < $n; $i++ ) {
		$parts[] = blogcorpus_sentence( $lang );
	}
	return implode( ' ', $parts );
}

function blogcorpus_external_url(): string {
	$hosts = array( 'www.example.com', 'example.org', 'news.example.net', 'archive.example.edu', 'blog.example.de', 'revue.example.fr' );
	$paths = array( '/2019/report.html', '/articles/42', '/papers/cities-and-trains', '/wiki/Tramway', '/notes/?id=17', '/kapitel/3#anfang', '/dossier/été-2020' );
	return 'https://' . blogcorpus_pick( $hosts ) . blogcorpus_pick( $paths );
}

function blogcorpus_title( string $lang, int $i ): string {
	$titles = array(
		'en' => array( 'Notes from the archive', 'What the map doesn\'t show', 'Reading "The Death and Life of Great American Cities" again', 'A week of interviews', 'On counting things', 'Trains, again', 'Teaching with old newspapers', 'Five questions about open data', 'The last tram', 'Why footnotes matter' ),
		'fr' => array( 'Retour sur l\'enquête', 'Ce que la carte ne montre pas', 'Notes de lecture : « Les Villes invisibles »', 'Une semaine d\'entretiens', 'À propos du prix du pain', 'L\'été à Lyon' ),
		'de' => array( 'Notizen aus dem Archiv', 'Was die Karte verschweigt', 'Über Straßenbahnen und Städte', 'Eine Woche voller Gespräche', 'Größere Fragen, kleinere Antworten' ),
	);
	return blogcorpus_pick( $titles[ $lang ] ) . ' (' . $i . ')';
}

/** A post body: paragraphs with links, sometimes written in the block editor's markup. */
function blogcorpus_body( string $lang, array $earlier_ids ): string {
	$blocks = blogcorpus_chance( 0.5 );
	$paras  = array();
	$n      = mt_rand( 2, 6 );
	for ( $p = 0; $p < $n; $p++ ) {
		$text = blogcorpus_paragraph( $lang );
		if ( blogcorpus_chance( 0.35 ) ) {
			$text .= ' See <a href="' . esc_url( blogcorpus_external_url() ) . '">' . blogcorpus_pick( array( 'this report', 'the source', 'ce dossier', 'diesen Artikel', 'an older piece' ) ) . '</a>.';
		}
		if ( $earlier_ids && blogcorpus_chance( 0.15 ) ) {
			$text .= ' I wrote about it <a href="' . esc_url( home_url( '/?p=' . blogcorpus_pick( $earlier_ids ) ) ) . '">before</a>.';
		}
		$paras[] = $text;
	}
	$html = '';
	foreach ( $paras as $k => $text ) {
		if ( 1 === $k && blogcorpus_chance( 0.2 ) ) {
			$quote = blogcorpus_sentence( $lang );
			$html .= $blocks
				? "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>$quote</p></blockquote>\n<!-- /wp:quote -->\n\n"
				: "<blockquote>$quote</blockquote>\n\n";
		}
		if ( 2 === $k && blogcorpus_chance( 0.2 ) ) {
			$items = '<li>' . blogcorpus_sentence( $lang ) . '</li><li>' . blogcorpus_sentence( $lang ) . '</li>';
			$html .= $blocks ? "<!-- wp:list -->\n<ul>$items</ul>\n<!-- /wp:list -->\n\n" : "<ul>$items</ul>\n\n";
		}
		$html .= $blocks ? "<!-- wp:paragraph -->\n<p>$text</p>\n<!-- /wp:paragraph -->\n\n" : "$text\n\n";
	}
	return trim( $html );
}

function blogcorpus_commenters(): array {
	// name, url ('' when none), email
	return array(
		array( 'Jérôme Lefèvre', 'https://jerome.example.fr/', 'jerome@mail.example.fr' ),
		array( 'Anaïs', '', 'anais@mail.example.fr' ),
		array( 'Jürgen Müller', 'http://www.example.de/~juergen', 'jm@mail.example.de' ),
		array( 'Sam Okafor', 'https://sam.example.com/blog/', 'sam@mail.example.com' ),
		array( 'Priya', '', 'priya@mail.example.com' ),
		array( 'Tom H.', 'http://tomh.example.net', 'tom@mail.example.net' ),
		array( 'Marie-Claire', '', 'mc@mail.example.fr' ),
		array( 'old_reader', '', 'reader@mail.example.org' ),
		array( 'Zoë Whitfield', 'https://zoe.example.org/about', 'zoe@mail.example.org' ),
		array( 'Lukas', 'https://lukas.example.de/', 'lukas@mail.example.de' ),
		array( 'Hélène B.', '', 'helene@mail.example.fr' ),
		array( 'D. Rossi', 'http://rossi.example.it/', 'rossi@mail.example.it' ),
		array( 'Ana', '', 'ana@mail.example.com' ),
		array( 'Kwame Mensah', 'https://kwame.example.com/', 'kwame@mail.example.com' ),
		array( 'Grégoire', 'https://greg.example.fr/carnet/', 'greg@mail.example.fr' ),
		array( 'Ines Schäfer', '', 'ines@mail.example.de' ),
	);
}

function blogcorpus_comment_text( string $lang ): string {
	$text = blogcorpus_paragraph( $lang, 1, 3 );
	$roll = mt_rand( 0, 99 );
	if ( $roll < 10 ) {
		$text .= ' Cf. <a href="' . esc_url( blogcorpus_external_url() ) . '">this</a>.';
	} elseif ( $roll < 15 ) {
		// A bare address: WordPress's make_clickable turns it into a link when it renders.
		$text .= ' More here: ' . blogcorpus_external_url();
	} elseif ( $roll < 22 ) {
		$text .= "\n\n" . blogcorpus_paragraph( $lang, 1, 2 );
	} elseif ( $roll < 26 ) {
		$text = '<blockquote>' . blogcorpus_sentence( $lang ) . '</blockquote>' . "\n\n" . $text;
	} elseif ( $roll < 30 ) {
		$text .= ' <em>' . blogcorpus_pick( array( 'Merci !', 'Danke!', 'Thanks for this.', 'Bravo.' ) ) . '</em>';
	} elseif ( $roll < 32 ) {
		$text .= ' ' . blogcorpus_pick( array( '👍', '☕', '🚋' ) );
	}
	return $text;
}

/** How many comments a post gets: most few, some none, a long tail of busy threads. */
function blogcorpus_comment_budget(): int {
	$roll = mt_rand( 0, 99 );
	if ( $roll < 25 ) {
		return 0;
	}
	if ( $roll < 70 ) {
		return mt_rand( 1, 8 );
	}
	if ( $roll < 90 ) {
		return mt_rand( 9, 25 );
	}
	return mt_rand( 26, 70 );
}

function blogcorpus_gmt( int $ts ): string {
	return gmdate( 'Y-m-d H:i:s', $ts );
}

/**
 * Adds a thread of comments (and pings) to a post, starting after $after_ts.
 *
 * Returns counts: approved, pingback, trackback, hidden.
 */
function blogcorpus_add_thread( int $post_id, int $after_ts, int $budget, array $authors, string $lang ): array {
	$stats  = array( 'approved' => 0, 'pingback' => 0, 'trackback' => 0, 'hidden' => 0 );
	$ts     = $after_ts;
	$people = blogcorpus_commenters();
	$depths = array(); // comment id => depth, for approved normal comments only
	$existing = array();
	foreach ( get_comments( array( 'post_id' => $post_id, 'status' => 'approve', 'type' => 'comment' ) ) as $old ) {
		$existing[ (int) $old->comment_ID ] = (int) $old->comment_parent;
	}
	foreach ( $existing as $id => $up ) {
		// A thread already on the post (add_more.php): replies must respect its real depth.
		for ( $depth = 1; $up && isset( $existing[ $up ] ); $up = $existing[ $up ] ) {
			++$depth;
		}
		$depths[ $id ] = $depth;
	}
	for ( $c = 0; $c < $budget; $c++ ) {
		$ts    += mt_rand( 300, 3 * 86400 );
		$parent = 0;
		$depth  = 1;
		if ( $depths && blogcorpus_chance( 0.45 ) ) {
			$open = array_keys( array_filter( $depths, static fn( $d ) => $d < 5 ) );
			if ( $open ) {
				// Replies go to recent comments more often, as in real threads.
				$parent = $open[ max( 0, count( $open ) - 1 - (int) floor( abs( mt_rand( 0, 1000 ) / 1000 ) ** 2 * count( $open ) ) ) ];
				$depth  = $depths[ $parent ] + 1;
			}
		}
		$data = array(
			'comment_post_ID'  => $post_id,
			'comment_parent'   => $parent,
			'comment_date_gmt' => blogcorpus_gmt( $ts ),
			'comment_date'     => get_date_from_gmt( blogcorpus_gmt( $ts ) ),
			'comment_content'  => blogcorpus_comment_text( $lang ),
			'comment_approved' => 1,
			'comment_type'     => 'comment',
			'comment_agent'    => 'blogcorpus-seed',
		);
		$roll = mt_rand( 0, 99 );
		if ( $roll < 6 ) {
			// Anonymous: WordPress shows these as "Anonymous".
			$data += array( 'comment_author' => '', 'comment_author_url' => '', 'comment_author_email' => '' );
		} elseif ( $roll < 14 ) {
			$user = get_userdata( blogcorpus_pick( $authors ) );
			$data += array(
				'user_id'              => $user->ID,
				'comment_author'       => $user->display_name,
				'comment_author_email' => $user->user_email,
				'comment_author_url'   => '',
			);
		} else {
			$who   = blogcorpus_pick( $people );
			$data += array( 'comment_author' => $who[0], 'comment_author_url' => $who[1], 'comment_author_email' => $who[2] );
		}
		$hidden = mt_rand( 0, 99 );
		if ( $hidden < 2 ) {
			$data['comment_approved'] = 0;
		} elseif ( $hidden < 3 ) {
			$data['comment_approved'] = 'spam';
			$data['comment_content']  = 'Cheap watches at https://spam.example.com/buy';
		}
		$id = wp_insert_comment( wp_slash( $data ) );
		if ( 1 === $data['comment_approved'] ) {
			$depths[ $id ] = $depth;
			++$stats['approved'];
		} else {
			++$stats['hidden'];
		}
	}
	return $stats;
}

/** Pingbacks and trackbacks as WordPress stores them when another blog links to a post. */
function blogcorpus_add_pings( int $post_id, int $after_ts, array $earlier_ids ): array {
	$stats = array( 'approved' => 0, 'pingback' => 0, 'trackback' => 0, 'hidden' => 0 );
	$blogs = array(
		array( 'Urban Notes', 'https://urban.example.com' ),
		array( 'Le carnet de Grégoire', 'https://greg.example.fr/carnet' ),
		array( 'Stadtgeschichten', 'https://stadt.example.de' ),
	);
	$kinds = array();
	if ( blogcorpus_chance( 0.12 ) ) {
		$kinds = array_merge( $kinds, array_fill( 0, mt_rand( 1, 2 ), 'pingback' ) );
	}
	if ( blogcorpus_chance( 0.05 ) ) {
		$kinds[] = 'trackback';
	}
	foreach ( $kinds as $kind ) {
		$ts = $after_ts + mt_rand( 3600, 20 * 86400 );
		if ( 'pingback' === $kind && $earlier_ids && blogcorpus_chance( 0.3 ) ) {
			// A pingback from this same blog: one of its own later posts links back.
			$source = get_post( blogcorpus_pick( $earlier_ids ) );
			$name   = get_option( 'blogname' ) . ' &raquo; ' . $source->post_title;
			$url    = home_url( '/?p=' . $source->ID );
		} else {
			$blog = blogcorpus_pick( $blogs );
			$name = $blog[0] . ( 'pingback' === $kind ? ' &raquo; ' . blogcorpus_pick( array( 'Links of the week', 'Lectures du mois', 'Linkliste' ) ) : '' );
			$url  = $blog[1] . '/' . gmdate( 'Y/m', $ts ) . '/post-' . mt_rand( 100, 999 ) . '/';
		}
		$content = 'pingback' === $kind
			? '[&#8230;] ' . blogcorpus_sentence( 'en' ) . ' [&#8230;]'
			: '<strong>' . blogcorpus_pick( array( 'Round-up', 'Revue de presse' ) ) . "</strong>\n\n" . blogcorpus_sentence( 'en' );
		wp_insert_comment(
			wp_slash(
				array(
					'comment_post_ID'      => $post_id,
					'comment_author'       => $name,
					'comment_author_url'   => $url,
					'comment_author_email' => '',
					'comment_date_gmt'     => blogcorpus_gmt( $ts ),
					'comment_date'         => get_date_from_gmt( blogcorpus_gmt( $ts ) ),
					'comment_content'      => $content,
					'comment_type'         => $kind,
					'comment_approved'     => 1,
					'comment_agent'        => 'WordPress/6.1; ' . $url,
				)
			)
		);
		++$stats['approved'];
		++$stats[ $kind ];
	}
	return $stats;
}

/** Inserts one published post with its terms; returns its id. */
function blogcorpus_insert_post( int $i, int $ts, array $authors, array $category_ids, array $earlier_ids ): int {
	$roll = mt_rand( 0, 99 );
	$lang = $roll < 10 ? 'fr' : ( $roll < 18 ? 'de' : 'en' );
	// Two posts share a title, so WordPress has to give the second one a "-2" slug.
	$title = ( 7 === $i || 8 === $i ) ? 'Weekly notes' : blogcorpus_title( $lang, $i );
	$cats  = array( blogcorpus_pick( $category_ids ) );
	if ( blogcorpus_chance( 0.3 ) ) {
		$cats[] = blogcorpus_pick( $category_ids );
	}
	$tags = array();
	$nt   = mt_rand( 0, 3 );
	for ( $t = 0; $t < $nt; $t++ ) {
		$tags[] = blogcorpus_pick( blogcorpus_tags() );
	}
	$id = wp_insert_post(
		wp_slash(
			array(
				'post_title'     => $title,
				'post_content'   => blogcorpus_body( $lang, $earlier_ids ),
				'post_status'    => 'publish',
				'post_author'    => blogcorpus_pick( $authors ),
				'post_date_gmt'  => blogcorpus_gmt( $ts ),
				'post_date'      => get_date_from_gmt( blogcorpus_gmt( $ts ) ),
				'comment_status' => 'open',
				'ping_status'    => 'open',
			)
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, 'wp_insert_post failed: ' . $id->get_error_message() . "\n" );
		exit( 1 );
	}
	wp_set_post_terms( $id, array_values( array_unique( $cats ) ), 'category' );
	if ( $tags ) {
		wp_set_post_terms( $id, array_values( array_unique( $tags ) ), 'post_tag' );
	}
	update_post_meta( $id, 'blogcorpus_lang', $lang );
	return (int) $id;
}

/** Seeds $count posts between two Unix times, each with its comments and pings. */
function blogcorpus_seed_posts( int $count, array $authors, array $category_ids, int $from, int $to ): array {
	$totals = array( 'posts' => 0, 'approved' => 0, 'pingback' => 0, 'trackback' => 0, 'hidden' => 0 );
	$ids    = array();
	$step   = intdiv( $to - $from, max( 1, $count ) );
	for ( $i = 0; $i < $count; $i++ ) {
		$ts    = $from + $i * $step + mt_rand( 0, max( 1, $step - 7200 ) );
		$id    = blogcorpus_insert_post( $i, $ts, $authors, $category_ids, $ids );
		$lang  = get_post_meta( $id, 'blogcorpus_lang', true );
		$parts = array(
			blogcorpus_add_thread( $id, $ts, blogcorpus_comment_budget(), $authors, $lang ),
			blogcorpus_add_pings( $id, $ts, $ids ),
		);
		foreach ( $parts as $part ) {
			foreach ( $part as $k => $v ) {
				$totals[ $k ] += $v;
			}
		}
		// Some posts are closed to comments after the fact; their threads stay visible.
		if ( blogcorpus_chance( 0.1 ) ) {
			wp_update_post( array( 'ID' => $id, 'comment_status' => 'closed', 'ping_status' => 'closed' ) );
		}
		if ( 3 === $i ) {
			stick_post( $id );
		}
		$ids[] = $id;
		++$totals['posts'];
	}
	return $totals;
}
