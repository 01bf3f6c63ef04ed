<?php
/**
 * Dumps the truth about the test blog, as WordPress itself renders it, to JSON on stdout.
 *
 * Usage: php dump_truth.php > truth.json   (with the environment run.sh exports)
 *
 * Texts are what a reader sees: titles, bodies and comments go through WordPress's own display
 * filters (the_title, the_content, comment_text), then are reduced to plain text with entities
 * decoded and whitespace collapsed. Permalinks come from get_permalink, so the dump must be
 * redone after the permalink structure changes.
 */

require __DIR__ . '/bootstrap.php';

/** Plain text of an HTML fragment: block boundaries become spaces, whitespace collapsed. */
function blogcorpus_text( string $html ): string {
	if ( '' === trim( $html ) ) {
		return '';
	}
	$html = preg_replace( '#<(/?)(p|div|li|ul|ol|blockquote|h[1-6]|br|figure|figcaption|pre|tr|td)\b#i', ' <$1$2', $html );
	$dom  = blogcorpus_dom( $html );
	$text = $dom->getElementsByTagName( 'body' )->item( 0 )->textContent ?? '';
	return trim( preg_replace( '/\s+/u', ' ', $text ) );
}

function blogcorpus_dom( string $html ): DOMDocument {
	$dom = new DOMDocument();
	libxml_use_internal_errors( true );
	$dom->loadHTML( '<html><head><meta charset="utf-8"></head><body>' . $html . '</body></html>' );
	libxml_clear_errors();
	return $dom;
}

/** Every <a href> in an HTML fragment: URL, anchor text, rel, and whether it stays on the blog. */
function blogcorpus_links( string $html, string $context ): array {
	$home  = wp_parse_url( home_url(), PHP_URL_HOST ) . ':' . wp_parse_url( home_url(), PHP_URL_PORT );
	$links = array();
	$dom   = blogcorpus_dom( $html );
	foreach ( $dom->getElementsByTagName( 'a' ) as $a ) {
		$href = trim( $a->getAttribute( 'href' ) );
		if ( '' === $href ) {
			continue;
		}
		$host    = wp_parse_url( $href, PHP_URL_HOST );
		$links[] = array(
			'context'     => $context,
			'target_url'  => $href,
			'target_host' => $host ? strtolower( $host ) : null,
			'anchor_text' => trim( preg_replace( '/\s+/u', ' ', $a->textContent ) ),
			'rel'         => $a->getAttribute( 'rel' ),
			'is_internal' => $host && ( strtolower( $host ) . ':' . wp_parse_url( $href, PHP_URL_PORT ) ) === $home,
		);
	}
	return $links;
}

function blogcorpus_decode( string $s ): string {
	return html_entity_decode( $s, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
}

function blogcorpus_iso( string $gmt ): string {
	return str_replace( ' ', 'T', $gmt ) . '+00:00';
}

$truth = array(
	'site'     => array(
		'url'                 => home_url( '/' ),
		'name'                => blogcorpus_decode( get_option( 'blogname' ) ),
		'template'            => get_option( 'template' ),
		'permalink_structure' => get_option( 'permalink_structure' ),
		'html_only'           => (bool) get_option( 'blogcorpus_html_only' ),
		'comments_per_page'   => (int) get_option( 'comments_per_page' ),
		'default_comments_page' => get_option( 'default_comments_page' ),
	),
	'posts'    => array(),
	'pages'    => array(),
	'comments' => array(),
	'hidden'   => array( 'posts' => array(), 'comments' => array() ),
);

$all = get_posts(
	array(
		'post_type'   => array( 'post', 'page' ),
		'post_status' => array( 'publish', 'draft', 'private', 'pending', 'future' ),
		'numberposts' => -1,
		'orderby'     => 'ID',
		'order'       => 'ASC',
	)
);
foreach ( $all as $p ) {
	if ( 'publish' !== $p->post_status ) {
		$truth['hidden']['posts'][] = array( 'id' => $p->ID, 'title' => $p->post_title, 'status' => $p->post_status );
		continue;
	}
	$GLOBALS['post'] = $p;
	setup_postdata( $p );
	$html   = apply_filters( 'the_content', $p->post_content );
	$record = array(
		'id'             => $p->ID,
		'permalink'      => get_permalink( $p ),
		'shortlink'      => home_url( '/?p=' . $p->ID ),
		'title'          => blogcorpus_decode( get_the_title( $p ) ),
		'author'         => get_the_author_meta( 'display_name', $p->post_author ),
		'published_gmt'  => blogcorpus_iso( $p->post_date_gmt ),
		'modified_gmt'   => blogcorpus_iso( $p->post_modified_gmt ),
		'categories'     => array_map( 'blogcorpus_decode', wp_get_post_terms( $p->ID, 'category', array( 'fields' => 'names' ) ) ),
		'tags'           => array_map( 'blogcorpus_decode', wp_get_post_terms( $p->ID, 'post_tag', array( 'fields' => 'names' ) ) ),
		'text'           => blogcorpus_text( $html ),
		'links'          => blogcorpus_links( $html, 'body' ),
		'comments_open'  => comments_open( $p ),
		'comment_count'  => (int) get_comments_number( $p ),
		'sticky'         => is_sticky( $p->ID ),
		'language'       => get_post_meta( $p->ID, 'blogcorpus_lang', true ),
	);
	if ( 'page' === $p->post_type ) {
		$truth['pages'][] = $record;
		continue;
	}
	$comments  = get_comments( array( 'post_id' => $p->ID, 'status' => 'approve', 'type' => 'all', 'orderby' => 'comment_ID', 'order' => 'ASC' ) );
	$record['comment_pages'] = $comments ? (int) get_comment_pages_count( $comments ) : 0;
	$truth['posts'][]        = $record;
	$by_id                   = array();
	foreach ( $comments as $c ) {
		$by_id[ (int) $c->comment_ID ] = $c;
	}
	foreach ( $comments as $c ) {
		$depth = 1;
		for ( $up = (int) $c->comment_parent; $up && isset( $by_id[ $up ] ); $up = (int) $by_id[ $up ]->comment_parent ) {
			++$depth;
		}
		$shown              = apply_filters( 'comment_text', get_comment_text( $c ), $c, array() );
		$author_url         = blogcorpus_decode( get_comment_author_url( $c ) );
		$links              = blogcorpus_links( $shown, 'comment' );
		$truth['comments'][] = array(
			'comment_id'    => (int) $c->comment_ID,
			'post_id'       => $p->ID,
			'post_permalink' => get_permalink( $p ),
			'link'          => get_comment_link( $c ),
			'parent'        => (int) $c->comment_parent,
			'depth'         => $depth,
			'author'        => blogcorpus_decode( get_comment_author( $c ) ),
			'author_raw'    => $c->comment_author,
			'author_url'    => $author_url,
			'is_post_author_user' => (int) $c->user_id > 0,
			'published_gmt' => blogcorpus_iso( $c->comment_date_gmt ),
			'type'          => $c->comment_type ? $c->comment_type : 'comment',
			'text'          => blogcorpus_text( $shown ),
			'links'         => $links,
		);
	}
}
wp_reset_postdata();

foreach ( get_comments( array( 'status' => 'hold' ) ) as $c ) {
	$truth['hidden']['comments'][] = array( 'comment_id' => (int) $c->comment_ID, 'status' => 'hold', 'text' => $c->comment_content );
}
foreach ( get_comments( array( 'status' => 'spam' ) ) as $c ) {
	$truth['hidden']['comments'][] = array( 'comment_id' => (int) $c->comment_ID, 'status' => 'spam', 'text' => $c->comment_content );
}

echo wp_json_encode( $truth, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ), "\n";
